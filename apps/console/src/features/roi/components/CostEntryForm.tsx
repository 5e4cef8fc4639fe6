import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../api/api-error';
import { FormField } from '../../../shared/components/FormField';
import { useCreateCostEntry } from '../hooks/useCreateCostEntry';
import { parseCostForm, type CostFormValues } from '../utils/roi-forms';

export interface CostEntryFormProps {
  currency: string;
}

const EMPTY: CostFormValues = { category: 'cloud', description: '', recurrence: 'monthly', amount: '', effectiveFrom: '', effectiveTo: '' };

export function CostEntryForm({ currency }: CostEntryFormProps) {
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof CostFormValues, string>>>({});
  const create = useCreateCostEntry();
  const set = (patch: Partial<CostFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseCostForm(values);
    setErrors(parsed.errors);
    if (!parsed.body) return;
    try {
      await create.mutateAsync(parsed.body);
      setValues(EMPTY);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors() as typeof errors);
    }
  };
  return (
    <form className="stack" aria-label="Add a cost" onSubmit={(event) => void submit(event)} noValidate>
      <div className="form-grid">
        <FormField label="Category">
          <select className="input" value={values.category} onChange={(event) => set({ category: event.target.value as CostFormValues['category'] })}>
            <option value="cloud">Cloud</option>
            <option value="development">Development</option>
            <option value="operations">Operations</option>
          </select>
        </FormField>
        <FormField label="Recurrence">
          <select className="input" value={values.recurrence} onChange={(event) => set({ recurrence: event.target.value as CostFormValues['recurrence'] })}>
            <option value="monthly">Every month</option>
            <option value="one_off">Once</option>
          </select>
        </FormField>
        <FormField label={`Amount (${currency})`} hint={values.recurrence === 'monthly' ? 'Per month.' : 'Once, in the first month.'} error={errors.amount}>
          <input className="input" type="number" inputMode="decimal" min={0.01} step={0.01} value={values.amount} onChange={(event) => set({ amount: event.target.value })} />
        </FormField>
        <FormField label="Description" error={errors.description}>
          <input className="input" type="text" value={values.description} onChange={(event) => set({ description: event.target.value })} />
        </FormField>
        <FormField label="First month" error={errors.effectiveFrom}>
          <input className="input" type="month" value={values.effectiveFrom} onChange={(event) => set({ effectiveFrom: event.target.value })} />
        </FormField>
        {values.recurrence === 'monthly' && (
          <FormField label="Last month" hint="Empty: open-ended." error={errors.effectiveTo}>
            <input className="input" type="month" value={values.effectiveTo} onChange={(event) => set({ effectiveTo: event.target.value })} />
          </FormField>
        )}
      </div>
      {create.error && (
        <p className="notice notice--error" role="alert">
          {describeError(create.error)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add cost'}
        </button>
      </div>
    </form>
  );
}
