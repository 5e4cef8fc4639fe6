export * from './domain-error';
export * from './money';
export * from './random';
export * from './uuid-v7';
export * from './calendar';
