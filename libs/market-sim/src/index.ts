export * from './seed-mix';
export * from './demand-distribution';
export * from './retailer';
export * from './simulation';
export * from './legacy-history';
export * from './oracle';
export * from './training';
export * from './policy-benchmark';
