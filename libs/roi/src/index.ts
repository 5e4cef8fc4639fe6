export * from './periods';
export * from './costs';
export * from './roi';
export * from './unit-costs';
export * from './report';
export * from './csv';
export * from './outcomes';
