import type { Schemas } from '@dynaprice/api-client';
import { useState, type FormEvent } from 'react';
import { FormField } from '../../../shared/components/FormField';
import type { AuditFormValues } from '../utils/audit-filters';

export interface AuditSearchFormProps {
  initial: AuditFormValues;
  stores: ReadonlyArray<Schemas['StoreDto']>;
  errors: Partial<Record<keyof AuditFormValues, string>>;
  onSearch: (values: AuditFormValues) => void;
}

export function AuditSearchForm({ initial, stores, errors, onSearch }: AuditSearchFormProps) {
  const [values, setValues] = useState(initial);
  const set = (patch: Partial<AuditFormValues>) => setValues((v) => ({ ...v, ...patch }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(values);
  };
  return (
    <form className="toolbar" role="search" aria-label="Search decisions" onSubmit={submit} noValidate>
      <FormField label="Store">
        <select className="input" value={values.storeId} onChange={(event) => set({ storeId: event.target.value })}>
          <option value="">Every store</option>
          {stores.map((store) => (
            <option key={store.id} value={store.id}>
              {store.name} ({store.id})
            </option>
          ))}
        </select>
      </FormField>
      <FormField label="SKU code" error={errors.skuCode}>
        <input className="input" type="text" value={values.skuCode} onChange={(event) => set({ skuCode: event.target.value })} />
      </FormField>
      <FormField label="Reason">
        <select className="input" value={values.reason} onChange={(event) => set({ reason: event.target.value })}>
          <option value="">Any reason</option>
          <option value="model">Model</option>
          <option value="guardrail">Guardrail</option>
          <option value="override">Override</option>
          <option value="legacy">Legacy</option>
          <option value="fallback">Fallback</option>
        </select>
      </FormField>
      <FormField label="From" error={errors.from}>
        <input className="input" type="datetime-local" value={values.from} onChange={(event) => set({ from: event.target.value })} />
      </FormField>
      <FormField label="To" hint="Empty: now." error={errors.to}>
        <input className="input" type="datetime-local" value={values.to} onChange={(event) => set({ to: event.target.value })} />
      </FormField>
      <FormField label="Caller" hint="user:<e-mail> or key:… (decisions: among the rows loaded).">
        <input className="input" type="text" value={values.caller} onChange={(event) => set({ caller: event.target.value })} />
      </FormField>
      <button type="submit" className="button button--primary">
        Search
      </button>
    </form>
  );
}
