import type { RequestBody } from '@dynaprice/api-client';

export type AssignmentUnit = NonNullable<RequestBody<'CreateExperimentDto'>['unit']>;

/** The common experiment: the legacy rule as control against a model alias, by weight. */
export interface ExperimentFormValues {
  name: string;
  hypothesis: string;
  unit: AssignmentUnit;
  /** Percent of covered units on the model (the rest stays on legacy). */
  treatmentPct: string;
  model: 'champion' | 'challenger';
}

export function parseExperimentForm(values: ExperimentFormValues): { body: RequestBody<'CreateExperimentDto'> | null; errors: Partial<Record<keyof ExperimentFormValues, string>> } {
  const errors: Partial<Record<keyof ExperimentFormValues, string>> = {};
  const name = values.name.trim();
  if (name.length < 3) errors.name = 'at least 3 characters';
  const pct = Number(values.treatmentPct);
  if (!Number.isInteger(pct) || pct < 1 || pct > 99) errors.treatmentPct = 'a whole percentage from 1 to 99';
  if (Object.keys(errors).length > 0) return { body: null, errors };
  const treatment = pct / 100;
  return {
    errors,
    body: {
      name,
      ...(values.hypothesis.trim() ? { hypothesis: values.hypothesis.trim() } : {}),
      unit: values.unit,
      controlVariant: 'legacy',
      variants: [
        { key: 'legacy', kind: 'legacy', weight: Math.round((1 - treatment) * 100) / 100 },
        { key: 'model', kind: 'model', model: values.model, weight: treatment },
      ],
    },
  };
}
