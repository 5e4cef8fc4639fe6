export * from './catalog-rules';
export * from './identifiers';
