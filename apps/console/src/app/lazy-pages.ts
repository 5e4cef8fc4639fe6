import { lazy } from 'react';

/** Each page is its own chunk: the charts of the SKU page load only when it is opened. */
export const PricesPage = lazy(() => import('../features/prices/components/PricesPage').then((m) => ({ default: m.PricesPage })));
export const SkuDetailPage = lazy(() => import('../features/sku-detail/components/SkuDetailPage').then((m) => ({ default: m.SkuDetailPage })));
export const AuditTrailPage = lazy(() => import('../features/audit/components/AuditTrailPage').then((m) => ({ default: m.AuditTrailPage })));
export const ExperimentsPage = lazy(() => import('../features/experiments/components/ExperimentsPage').then((m) => ({ default: m.ExperimentsPage })));
export const ModelsPage = lazy(() => import('../features/models/components/ModelsPage').then((m) => ({ default: m.ModelsPage })));
export const FairnessPage = lazy(() => import('../features/fairness/components/FairnessPage').then((m) => ({ default: m.FairnessPage })));
export const RoiPage = lazy(() => import('../features/roi/components/RoiPage').then((m) => ({ default: m.RoiPage })));
