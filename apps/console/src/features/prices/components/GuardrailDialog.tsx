import type { Schemas } from '@dynaprice/api-client';
import { useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../../api/api-error';
import { Dialog } from '../../../shared/components/Dialog';
import { useCreateGuardrail } from '../../catalog/hooks/useCreateGuardrail';
import { useUpdateGuardrail } from '../../catalog/hooks/useUpdateGuardrail';
import { useApplySkuGuardrails, type BulkOutcome } from '../hooks/useApplySkuGuardrails';
import { parseGuardrailForm, toFormValues, type GuardrailFormValues } from '../utils/guardrail-form';
import { effectiveGuardrails, NO_GUARDRAILS, type EffectiveGuardrails } from '../utils/guardrail-levels';
import type { PriceRow } from '../utils/price-rows';
import { GuardrailFields } from './GuardrailFields';

type Guardrail = Schemas['GuardrailDto'];
type Scope = Guardrail['scope'];

export interface GuardrailDialogProps {
  /** One SKU (any level can be edited) or a selection (each SKU's own level). */
  targets: readonly PriceRow[];
  guardrails: readonly Guardrail[];
  currency: string;
  onClose: () => void;
  onDone: (action: string, outcome: BulkOutcome) => void;
}

function levelOf(guardrails: readonly Guardrail[], scope: Scope, key: string): Guardrail | null {
  return guardrails.find((g) => g.scope === scope && g.scopeKey === key) ?? null;
}

export function GuardrailDialog({ targets, guardrails, currency, onClose, onDone }: GuardrailDialogProps) {
  const single = targets.length === 1 ? targets[0] : undefined;
  const [scope, setScope] = useState<Scope>('sku');
  const key = !single || scope === 'global' ? '' : scope === 'sku' ? single.code : single.category;
  const existing = single ? levelOf(guardrails, scope, key) : null;
  const [values, setValues] = useState<GuardrailFormValues>(() => toFormValues(single?.skuGuardrail ?? null));
  const [errors, setErrors] = useState<Partial<Record<keyof GuardrailFormValues, string>>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const create = useCreateGuardrail();
  const update = useUpdateGuardrail();
  const apply = useApplySkuGuardrails();
  const pending = create.isPending || update.isPending || apply.isPending;

  const inherited: EffectiveGuardrails | null = !single
    ? NO_GUARDRAILS
    : scope === 'sku'
      ? single.inherited
      : scope === 'category'
        ? effectiveGuardrails(levelOf(guardrails, 'global', ''), null, null)
        : null;

  const changeScope = (next: Scope) => {
    setScope(next);
    const nextKey = !single || next === 'global' ? '' : next === 'sku' ? single.code : single.category;
    setValues(toFormValues(levelOf(guardrails, next, nextKey)));
    setErrors({});
    setFailure(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseGuardrailForm(values);
    setErrors(parsed.errors);
    setFailure(null);
    if (Object.keys(parsed.errors).length > 0) return;
    try {
      if (single) {
        if (existing) await update.mutateAsync({ id: existing.id, body: parsed.body });
        else await create.mutateAsync({ scope, ...(scope === 'global' ? {} : { scopeKey: key }), ...parsed.body });
        onDone('Guardrails saved', { succeeded: [scope === 'sku' ? single.code : scope === 'category' ? `category ${single.category}` : 'all SKUs'], failed: [] });
      } else {
        // A selection: only the fields that were filled in change; every other setting of each SKU stays.
        const body = Object.fromEntries(Object.entries(parsed.body).filter(([field, value]) => value !== null && field !== 'frozen'));
        onDone('Guardrails', await apply.mutateAsync(targets.map((row) => ({ code: row.code, existing: row.skuGuardrail, body }))));
      }
    } catch (error) {
      if (error instanceof ApiError) setErrors(error.fieldErrors() as typeof errors);
      setFailure(error);
    }
  };

  const title = single ? `Guardrails — ${single.code}` : `Guardrails — ${targets.length} SKUs`;
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="stack" onSubmit={(event) => void submit(event)} noValidate>
        {single ? (
          <fieldset>
            <legend>Level</legend>
            <div className="row">
              {(
                [
                  ['sku', `This SKU (${single.code})`],
                  ['category', `Category (${single.category})`],
                  ['global', 'Every SKU (global)'],
                ] as const
              ).map(([value, label]) => (
                <label key={value} className="row">
                  <input type="radio" name="guardrail-scope" value={value} checked={scope === value} onChange={() => changeScope(value)} />
                  {label}
                </label>
              ))}
            </div>
            <p className="field__hint">The most specific level wins, field by field; an empty field inherits from the level above.</p>
          </fieldset>
        ) : (
          <p className="muted">Sets each selected SKU’s own guardrails. Fields left empty keep each SKU’s current setting.</p>
        )}
        <GuardrailFields values={values} errors={errors} inherited={inherited} currency={currency} showFrozen={single !== undefined} onChange={(patch) => setValues((v) => ({ ...v, ...patch }))} />
        {failure !== null && (
          <p className="notice notice--error" role="alert">
            {describeError(failure)}
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={pending}>
            {pending ? 'Saving…' : 'Save guardrails'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
