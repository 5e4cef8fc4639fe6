import type { Schemas } from '@dynaprice/api-client';
import { FakeApi } from './fake-api';

/** Small, valid API answers for component tests; override what a test is about. */
export function store(overrides: Partial<Schemas['StoreDto']> = {}): Schemas['StoreDto'] {
  return { id: 'S01', name: 'Camden High Street', region: 'London', cluster: 'urban', timezone: 'Europe/London', attributes: {}, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z', ...overrides };
}

export function sku(overrides: Partial<Schemas['SkuDto']> = {}): Schemas['SkuDto'] {
  return {
    code: 'PRD-001',
    name: 'Organic Bananas 1kg',
    category: 'produce',
    unitCost: 1.02,
    listPrice: 1.49,
    shelfLifeDays: 3,
    priceFloor: 0.82,
    priceCeiling: 1.79,
    salvageValue: 0.02,
    createdAt: '2026-11-01T00:00:00Z',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

export function lot(overrides: Partial<Schemas['InventoryLotDto']> = {}): Schemas['InventoryLotDto'] {
  return {
    id: `lot-${Math.random().toString(16).slice(2)}`,
    storeId: 'S01',
    skuCode: 'PRD-001',
    lotRef: 'L1',
    quantity: 10,
    receivedAt: '2026-11-25T05:00:00Z',
    expiresAt: '2026-11-28T00:00:00Z',
    daysToExpiry: 3,
    updatedAt: '2026-11-25T05:00:00Z',
    ...overrides,
  };
}

export function guardrail(overrides: Partial<Schemas['GuardrailDto']> = {}): Schemas['GuardrailDto'] {
  return {
    id: `g-${Math.random().toString(16).slice(2)}`,
    scope: 'global',
    scopeKey: '',
    minMarginPct: null,
    maxChangePct: null,
    priceFloor: null,
    priceCeiling: null,
    priceEndings: null,
    frozen: null,
    updatedBy: 'seed',
    updatedAt: '2026-11-01T00:00:00Z',
    ...overrides,
  };
}

export function override(overrides: Partial<Schemas['OverrideDto']> = {}): Schemas['OverrideDto'] {
  return {
    id: `o-${Math.random().toString(16).slice(2)}`,
    skuCode: 'PRD-001',
    storeId: 'S01',
    price: 0.99,
    startsAt: '2026-11-26T00:00:00Z',
    endsAt: '2026-11-28T23:59:00Z',
    reason: 'Competitor promotion',
    forced: false,
    createdBy: 'user:merchandiser@demo.dynaprice.dev',
    createdAt: '2026-11-26T00:00:00Z',
    cancelledAt: null,
    active: true,
    ...overrides,
  };
}

export function pricedLine(overrides: Partial<Schemas['PricedLineDto']> = {}): Schemas['PricedLineDto'] {
  return {
    skuCode: 'PRD-001',
    price: 1.69,
    currency: 'USD',
    listPrice: 1.49,
    legacyPrice: 1.49,
    decisionId: '01a2171f-243d-7006-b49c-4965c77642a4',
    variant: 'default',
    modelVersion: 'm-1',
    reason: 'model',
    boundBy: null,
    expectedUnits: 11,
    expectedMargin: 7.4,
    validUntil: '2026-11-27T00:00:00Z',
    reused: false,
    ...overrides,
  };
}

export function decision(overrides: Partial<Schemas['DecisionDto']> = {}): Schemas['DecisionDto'] {
  return {
    id: '01a2171f-243d-7006-b49c-4965c77642a4',
    decidedAt: '2026-11-26T09:10:46.589Z',
    storeId: 'S01',
    skuCode: 'PRD-001',
    price: 1.79,
    currency: 'USD',
    listPrice: 1.49,
    legacyPrice: 1.49,
    unitCost: 1.02,
    variant: 'default',
    experimentId: null,
    modelVersion: 'm-1',
    reason: 'model',
    boundBy: null,
    expectedUnits: 11.02,
    expectedMargin: 8.49,
    validUntil: '2026-11-27T00:00:00Z',
    storeDay: '2026-11-26',
    daysToExpiry: 3,
    stockUnits: 25,
    features: [1.2, 1.49, 3, 25, 0, 4, 0, 3, 19.6, 0.7],
    runnersUp: [
      { price: 1.69, expectedUnits: 11.02, expectedProfit: 7.39, lostBecause: 'lowerProfit', excludedBy: null },
      { price: 1.89, expectedUnits: 9.5, expectedProfit: 7.1, lostBecause: 'excluded', excludedBy: 'ceiling' },
      { price: 1.49, expectedUnits: 12.57, expectedProfit: 5.91, lostBecause: 'lowerProfit', excludedBy: null },
    ],
    relaxed: [],
    requestId: 'req-1',
    caller: 'user:merchandiser@demo.dynaprice.dev',
    ...overrides,
  };
}

export function page<T>(items: T[]): { items: T[]; total: number; limit: number; offset: number } {
  return { items, total: items.length, limit: 1000, offset: 0 };
}

export const PERMISSIONS: Record<string, string[]> = {
  merchandiser: ['prices:quote', 'decisions:read', 'catalog:read', 'catalog:write', 'inventory:write', 'guardrails:write', 'overrides:write', 'models:read', 'experiments:read', 'fairness:read', 'roi:read', 'session:use'],
  finance: ['catalog:read', 'models:read', 'experiments:read', 'fairness:read', 'roi:read', 'roi:write', 'session:use'],
  'data-scientist': ['decisions:read', 'catalog:read', 'models:read', 'models:write', 'models:promote', 'experiments:read', 'experiments:write', 'experiments:decide', 'fairness:read', 'fairness:run', 'roi:read', 'session:use'],
};

/** A fake API that signs people in: /docs-json lists the auth routes and /v1/auth/me answers for `role`. */
export function signedInApi(role: 'merchandiser' | 'finance' | 'data-scientist'): FakeApi {
  const fake = new FakeApi();
  fake.document('post', '/v1/auth/login');
  fake.on('get', '/v1/auth/me', () => ({
    kind: 'user',
    id: `id-${role}`,
    label: `user:${role}@demo.dynaprice.dev`,
    role,
    email: `${role}@demo.dynaprice.dev`,
    stores: null,
    permissions: PERMISSIONS[role],
    expiresAt: null,
  }));
  return fake;
}
