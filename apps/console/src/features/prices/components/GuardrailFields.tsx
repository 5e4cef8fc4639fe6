import { FormField } from '../../../shared/components/FormField';
import { formatMoney } from '../../../shared/utils/format';
import type { GuardrailFormValues } from '../utils/guardrail-form';
import type { EffectiveGuardrails } from '../utils/guardrail-levels';

export interface GuardrailFieldsProps {
  values: GuardrailFormValues;
  errors: Partial<Record<keyof GuardrailFormValues, string>>;
  /** What an empty field falls back to (the levels above); null at the global level. */
  inherited: EffectiveGuardrails | null;
  currency: string;
  showFrozen: boolean;
  onChange: (patch: Partial<GuardrailFormValues>) => void;
}

function inheritHint(value: string | null, bulk = false): string {
  if (bulk) return 'Leave empty to keep each SKU’s setting.';
  return value === null ? 'Empty: no limit.' : `Empty: inherit ${value}.`;
}

export function GuardrailFields({ values, errors, inherited, currency, showFrozen, onChange }: GuardrailFieldsProps) {
  const bulk = !showFrozen;
  const pct = (value: number | null | undefined) => (value == null ? null : `${value} %`);
  const money = (value: number | null | undefined) => (value == null ? null : formatMoney(value, currency));
  const endings = inherited ? (inherited.priceEndings.length === 0 ? 'any ending' : inherited.priceEndings.join(', ')) : null;
  return (
    <div className="form-grid">
      <FormField label="Minimum margin (%)" hint={inheritHint(pct(inherited?.minMarginPct), bulk)} error={errors.minMarginPct}>
        <input className="input" type="number" inputMode="decimal" min={0} max={95} step={0.01} value={values.minMarginPct} onChange={(event) => onChange({ minMarginPct: event.target.value })} />
      </FormField>
      <FormField label="Maximum change per day (%)" hint={inheritHint(pct(inherited?.maxChangePct), bulk)} error={errors.maxChangePct}>
        <input className="input" type="number" inputMode="decimal" min={0.01} max={100} step={0.01} value={values.maxChangePct} onChange={(event) => onChange({ maxChangePct: event.target.value })} />
      </FormField>
      <FormField label={`Price floor (${currency})`} hint={inheritHint(money(inherited?.priceFloor), bulk)} error={errors.priceFloor}>
        <input className="input" type="number" inputMode="decimal" min={0.01} step={0.01} value={values.priceFloor} onChange={(event) => onChange({ priceFloor: event.target.value })} />
      </FormField>
      <FormField label={`Price ceiling (${currency})`} hint={inheritHint(money(inherited?.priceCeiling), bulk)} error={errors.priceCeiling}>
        <input className="input" type="number" inputMode="decimal" min={0.01} step={0.01} value={values.priceCeiling} onChange={(event) => onChange({ priceCeiling: event.target.value })} />
      </FormField>
      <FormField label="Allowed price endings" hint={`Such as .49, .99 — or “any”. ${inheritHint(endings, bulk)}`} error={errors.priceEndings}>
        <input className="input" type="text" value={values.priceEndings} onChange={(event) => onChange({ priceEndings: event.target.value })} />
      </FormField>
      {showFrozen && (
        <FormField label="Frozen" hint={`Inherit: ${inherited?.frozen ? 'frozen' : 'not frozen'}.`} error={errors.frozen}>
          <select className="input" value={values.frozen} onChange={(event) => onChange({ frozen: event.target.value as GuardrailFormValues['frozen'] })}>
            <option value="inherit">Inherit</option>
            <option value="frozen">Frozen (keep the last price)</option>
            <option value="unfrozen">Not frozen</option>
          </select>
        </FormField>
      )}
    </div>
  );
}
