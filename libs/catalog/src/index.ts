export * from './catalog-rules';
