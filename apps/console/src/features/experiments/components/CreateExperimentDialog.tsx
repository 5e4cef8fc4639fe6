import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../api/api-error';
import { Dialog } from '../../../shared/components/Dialog';
import { FormField } from '../../../shared/components/FormField';
import { useCreateExperiment } from '../hooks/useCreateExperiment';
import { parseExperimentForm, type ExperimentFormValues } from '../utils/experiment-form';

export interface CreateExperimentDialogProps {
  onClose: () => void;
  onCreated: (id: string) => void;
}

export function CreateExperimentDialog({ onClose, onCreated }: CreateExperimentDialogProps) {
  const [values, setValues] = useState<ExperimentFormValues>({ name: '', hypothesis: '', unit: 'store', treatmentPct: '30', model: 'champion' });
  const [errors, setErrors] = useState<Partial<Record<keyof ExperimentFormValues, string>>>({});
  const create = useCreateExperiment();
  const set = (patch: Partial<ExperimentFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseExperimentForm(values);
    setErrors(parsed.errors);
    if (!parsed.body) return;
    try {
      onCreated((await create.mutateAsync(parsed.body)).id);
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors() as typeof errors);
    }
  };
  return (
    <Dialog title="New experiment" onClose={onClose}>
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        <p className="muted">Legacy pricing (the control) against a demand model. It starts as a draft and prices nothing until started.</p>
        <div className="form-grid">
          <FormField label="Name" error={errors.name}>
            <input className="input" type="text" value={values.name} onChange={(event) => set({ name: event.target.value })} />
          </FormField>
          <FormField label="Assignment unit" hint="Shelves cannot show two prices: store is the default.">
            <select className="input" value={values.unit} onChange={(event) => set({ unit: event.target.value as ExperimentFormValues['unit'] })}>
              <option value="store">Store</option>
              <option value="store_sku">Store × SKU</option>
              <option value="customer">Customer / session</option>
            </select>
          </FormField>
          <FormField label="Model share (%)" hint="The rest stays on legacy pricing." error={errors.treatmentPct}>
            <input className="input" type="number" min={1} max={99} step={1} value={values.treatmentPct} onChange={(event) => set({ treatmentPct: event.target.value })} />
          </FormField>
          <FormField label="Model">
            <select className="input" value={values.model} onChange={(event) => set({ model: event.target.value as ExperimentFormValues['model'] })}>
              <option value="champion">Champion</option>
              <option value="challenger">Challenger</option>
            </select>
          </FormField>
        </div>
        <FormField label="Hypothesis" error={errors.hypothesis}>
          <textarea className="input" rows={2} value={values.hypothesis} onChange={(event) => set({ hypothesis: event.target.value })} />
        </FormField>
        {create.error && !(create.error instanceof ApiError && Object.keys(create.error.fieldErrors()).length > 0) && (
          <p className="notice notice--error" role="alert">
            {describeError(create.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create draft'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
