export * from './catalog-types';
export * from './legacy-price';
export * from './demand-features';
export * from './demand-model';
export * from './recent-sales';
