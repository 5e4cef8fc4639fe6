export * from './catalog-types';
export * from './legacy-price';
export * from './demand-features';
