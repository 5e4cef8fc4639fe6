import type { Schemas } from '@dynaprice/api-client';
import { FormField } from '../../../shared/components/FormField';

export interface StorePickerProps {
  stores: ReadonlyArray<Schemas['StoreDto']>;
  value: string;
  onChange: (storeId: string) => void;
}

export function StorePicker({ stores, value, onChange }: StorePickerProps) {
  return (
    <FormField label="Store">
      <select className="input" value={value} onChange={(event) => onChange(event.target.value)}>
        {stores.map((store) => (
          <option key={store.id} value={store.id}>
            {store.name} ({store.id})
          </option>
        ))}
      </select>
    </FormField>
  );
}
