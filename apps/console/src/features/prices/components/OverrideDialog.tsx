import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../api/api-error';
import { Dialog } from '../../../shared/components/Dialog';
import { FormField } from '../../../shared/components/FormField';
import { formatMoney } from '../../../shared/utils/format';
import type { BulkOutcome } from '../hooks/useApplySkuGuardrails';
import { useCreateOverrides } from '../hooks/useCreateOverrides';
import { defaultEndsAt, parseOverrideForm, toLocalInput, type OverrideFormValues } from '../utils/override-form';
import type { PriceRow } from '../utils/price-rows';
import { ActiveOverrideList } from './ActiveOverrideList';

export interface OverrideDialogProps {
  targets: readonly PriceRow[];
  storeId: string;
  storeName: string;
  currency: string;
  onClose: () => void;
  onDone: (action: string, outcome: BulkOutcome) => void;
}

export function OverrideDialog({ targets, storeId, storeName, currency, onClose, onDone }: OverrideDialogProps) {
  const single = targets.length === 1 ? targets[0] : undefined;
  const [values, setValues] = useState<OverrideFormValues>(() => ({
    mode: 'fixed',
    amount: single?.recommended ? single.recommended.price.toFixed(2) : '',
    scope: 'store',
    endsAt: defaultEndsAt(new Date()),
    reason: '',
  }));
  const [errors, setErrors] = useState<Partial<Record<keyof OverrideFormValues, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const create = useCreateOverrides();
  const set = (patch: Partial<OverrideFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const money = (value: number | null) => formatMoney(value, currency);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    const parsed = parseOverrideForm(values, targets.map((row) => ({ code: row.code, listPrice: row.listPrice })), storeId, new Date());
    setErrors(parsed.errors);
    if (parsed.bodies.length === 0) return;
    const outcome = await create.mutateAsync(parsed.bodies);
    const onlyFailure = single && outcome.failed[0];
    if (onlyFailure) {
      // One SKU: keep the dialog open with the API's answer next to the fields it names.
      if (onlyFailure.error instanceof ApiError) setErrors(onlyFailure.error.fieldErrors() as typeof errors);
      setFailure(onlyFailure.error);
      return;
    }
    onDone('Override', outcome);
  };

  return (
    <Dialog title={single ? `Override — ${single.code} ${single.name}` : `Override — ${targets.length} SKUs`} onClose={onClose}>
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        {single && (
          <dl className="definition-list">
            <dt>List price</dt>
            <dd>{money(single.listPrice)}</dd>
            <dt>Unit cost</dt>
            <dd>{money(single.sku.unitCost)}</dd>
            <dt>Recommended</dt>
            <dd>{money(single.recommended?.price ?? null)}</dd>
            <dt>Floor – ceiling</dt>
            <dd>
              {money(single.floor)} – {money(single.ceiling)}
            </dd>
          </dl>
        )}
        {single && <ActiveOverrideList overrides={single.overrides} currency={currency} canCancel />}
        <p className="muted">An override wins over the model until it ends; the floor and the ceiling still hold.</p>
        <div className="form-grid">
          {!single && (
            <FormField label="Price as">
              <select className="input" value={values.mode} onChange={(event) => set({ mode: event.target.value as OverrideFormValues['mode'] })}>
                <option value="fixed">One price for every SKU</option>
                <option value="percentOfList">A percentage of each list price</option>
              </select>
            </FormField>
          )}
          <FormField label={values.mode === 'fixed' ? `Override price (${currency})` : 'Percentage of list price (%)'} error={errors.amount}>
            <input className="input" type="number" inputMode="decimal" min={0.01} step={values.mode === 'fixed' ? 0.01 : 1} required value={values.amount} onChange={(event) => set({ amount: event.target.value })} />
          </FormField>
          <FormField label="Applies to">
            <select className="input" value={values.scope} onChange={(event) => set({ scope: event.target.value as OverrideFormValues['scope'] })}>
              <option value="store">This store ({storeName})</option>
              <option value="chain">Every store</option>
            </select>
          </FormField>
          <FormField label="Ends at" hint="Your local time." error={errors.endsAt}>
            <input className="input" type="datetime-local" required min={toLocalInput(new Date())} value={values.endsAt} onChange={(event) => set({ endsAt: event.target.value })} />
          </FormField>
          <FormField label="Reason" hint="Recorded with the override (3–500 characters)." error={errors.reason}>
            <input className="input" type="text" required maxLength={500} value={values.reason} onChange={(event) => set({ reason: event.target.value })} />
          </FormField>
        </div>
        {failure !== null && (
          <p className="notice notice--error" role="alert">
            {describeError(failure)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            {create.isPending ? 'Saving…' : single ? 'Create override' : `Create ${targets.length} overrides`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
