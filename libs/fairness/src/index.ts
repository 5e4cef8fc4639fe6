export * from './audit';
export * from './counterfactual';
export * from './ks';
export * from './types';
