import type { RequestBody } from '@dynaprice/api-client';

export type CostCategory = RequestBody<'CreateCostEntryDto'>['category'];
export type CostRecurrence = RequestBody<'CreateCostEntryDto'>['recurrence'];

export interface CostFormValues {
  category: CostCategory;
  description: string;
  recurrence: CostRecurrence;
  amount: string;
  /** `YYYY-MM` (an <input type="month"> value). */
  effectiveFrom: string;
  effectiveTo: string;
}

export interface OutcomeFormValues {
  /** `YYYY-MM` or `YYYY-Qn`. */
  period: string;
  description: string;
  baseline: string;
  /** Percent (12 for +12 %). */
  liftPct: string;
  scaleToBusiness: string;
}

type Errors<T> = Partial<Record<keyof T, string>>;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const PERIOD = /^\d{4}-((0[1-9]|1[0-2])|Q[1-4])$/;

function positive(raw: string): number | null {
  const value = Number(raw.trim());
  return raw.trim() !== '' && Number.isFinite(value) && value > 0 ? value : null;
}

export function parseCostForm(values: CostFormValues): { body: RequestBody<'CreateCostEntryDto'> | null; errors: Errors<CostFormValues> } {
  const errors: Errors<CostFormValues> = {};
  const amount = positive(values.amount);
  if (amount === null) errors.amount = 'enter an amount above zero';
  if (!MONTH.test(values.effectiveFrom)) errors.effectiveFrom = 'choose the first month';
  if (values.effectiveTo && !MONTH.test(values.effectiveTo)) errors.effectiveTo = 'choose a month';
  else if (values.effectiveTo && values.effectiveTo < values.effectiveFrom) errors.effectiveTo = 'must not be before the first month';
  if (Object.keys(errors).length > 0 || amount === null) return { body: null, errors };
  return {
    errors,
    body: {
      category: values.category,
      recurrence: values.recurrence,
      amount,
      effectiveFrom: values.effectiveFrom,
      ...(values.description.trim() ? { description: values.description.trim() } : {}),
      ...(values.recurrence === 'monthly' ? { effectiveTo: values.effectiveTo || null } : {}),
    },
  };
}

export function parseOutcomeForm(values: OutcomeFormValues): { body: RequestBody<'CreateRoiOutcomeDto'> | null; errors: Errors<OutcomeFormValues> } {
  const errors: Errors<OutcomeFormValues> = {};
  const period = values.period.trim().toUpperCase().replace(/-Q/, '-Q');
  if (!PERIOD.test(period)) errors.period = 'a month (2026-01) or a quarter (2026-Q1)';
  const baseline = positive(values.baseline);
  if (baseline === null) errors.baseline = 'enter the period’s baseline gross profit';
  const lift = Number(values.liftPct.trim());
  if (values.liftPct.trim() === '' || !Number.isFinite(lift) || lift <= -100) errors.liftPct = 'enter the relative lift in percent';
  const scale = values.scaleToBusiness.trim() === '' ? 1 : positive(values.scaleToBusiness);
  if (scale === null) errors.scaleToBusiness = 'a factor above zero (1 = the whole business was measured)';
  if (Object.keys(errors).length > 0 || baseline === null || scale === null) return { body: null, errors };
  return {
    errors,
    body: {
      period,
      baseline,
      relativeLift: lift / 100,
      scaleToBusiness: scale,
      ...(values.description.trim() ? { description: values.description.trim() } : {}),
    },
  };
}
