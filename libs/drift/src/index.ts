export * from './binning';
export * from './metrics';
export * from './reference';
export * from './window';
