import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../api/api-error';
import { FormField } from '../../../shared/components/FormField';
import { useCreateRoiOutcome } from '../hooks/useCreateRoiOutcome';
import { parseOutcomeForm, type OutcomeFormValues } from '../utils/roi-forms';

export interface OutcomeFormProps {
  currency: string;
}

const EMPTY: OutcomeFormValues = { period: '', description: '', baseline: '', liftPct: '', scaleToBusiness: '' };

export function OutcomeForm({ currency }: OutcomeFormProps) {
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof OutcomeFormValues, string>>>({});
  const create = useCreateRoiOutcome();
  const set = (patch: Partial<OutcomeFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseOutcomeForm(values);
    setErrors(parsed.errors);
    if (!parsed.body) return;
    try {
      await create.mutateAsync(parsed.body);
      setValues(EMPTY);
    } catch (error) {
      if (error instanceof ApiError) setErrors({ ...error.fieldErrors(), ...(error.fieldErrors()['relativeLift'] ? { liftPct: error.fieldErrors()['relativeLift'] } : {}) } as typeof errors);
    }
  };
  return (
    <form className="stack" aria-label="Add an outcome" onSubmit={(event) => void submit(event)} noValidate>
      <div className="form-grid">
        <FormField label="Period" hint="A month (2026-01) or a quarter (2026-Q1)." error={errors.period}>
          <input className="input" type="text" value={values.period} onChange={(event) => set({ period: event.target.value })} />
        </FormField>
        <FormField label={`Baseline gross profit (${currency})`} hint="The control’s gross margin over the period." error={errors.baseline}>
          <input className="input" type="number" inputMode="decimal" min={0.01} step={0.01} value={values.baseline} onChange={(event) => set({ baseline: event.target.value })} />
        </FormField>
        <FormField label="Relative lift (%)" hint="Treatment against control, e.g. 12." error={errors.liftPct}>
          <input className="input" type="number" inputMode="decimal" step={0.1} value={values.liftPct} onChange={(event) => set({ liftPct: event.target.value })} />
        </FormField>
        <FormField label="Scale to the business" hint="Empty: 1 (the whole business was measured)." error={errors.scaleToBusiness}>
          <input className="input" type="number" inputMode="decimal" min={0} step={0.01} value={values.scaleToBusiness} onChange={(event) => set({ scaleToBusiness: event.target.value })} />
        </FormField>
        <FormField label="Description" error={errors.description}>
          <input className="input" type="text" value={values.description} onChange={(event) => set({ description: event.target.value })} />
        </FormField>
      </div>
      {create.error && (
        <p className="notice notice--error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add outcome'}
        </button>
      </div>
    </form>
  );
}
