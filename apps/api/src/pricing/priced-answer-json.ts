import type { PricedLineDto } from './dto/price-basket.response.dto';

/**
 * The JSON text of the priced lines that are served again and again. A reused decision answers with
 * the same frozen line object every time (PricingService), so its text is built once: a warm POS
 * answer is then mostly string concatenation, not twenty objects walked by JSON.stringify.
 */
const lineTexts = new WeakMap<object, string>();

/** Freezes a line (flat: no nested objects) that will be served to many requests; its JSON text is cached on first use. */
export function servedAgainAndAgain(line: PricedLineDto): Readonly<PricedLineDto> {
  return Object.freeze(line);
}

function itemText(item: unknown): string {
  if (typeof item !== 'object' || item === null || !Object.isFrozen(item)) return JSON.stringify(item) ?? 'null';
  let text = lineTexts.get(item);
  if (text === undefined) {
    text = JSON.stringify(item) ?? 'null';
    lineTexts.set(item, text);
  }
  return text;
}

/**
 * The reply serializer of the pricing routes: exactly `JSON.stringify(payload)` for any payload
 * (property-tested), with the cached text of frozen items. Anything that is not a plain object with
 * an `items` array — a problem sent by the exception filter after the route set this serializer —
 * goes through JSON.stringify unchanged.
 */
export function pricedAnswerJson(payload: unknown): string {
  if (typeof payload !== 'object' || payload === null || Object.getPrototypeOf(payload) !== Object.prototype) return JSON.stringify(payload);
  const record = payload as Record<string, unknown>;
  const items = record['items'];
  if (!Array.isArray(items) || Object.getPrototypeOf(items) !== Array.prototype || 'toJSON' in items || 'toJSON' in record) return JSON.stringify(payload);
  let text = '{';
  for (const key of Object.keys(record)) {
    const value = record[key];
    const valueText = key === 'items' ? `[${items.map(itemText).join(',')}]` : JSON.stringify(value);
    // JSON.stringify leaves out properties whose value has no JSON form (undefined, functions, symbols).
    if (valueText === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${valueText}`;
  }
  return `${text}}`;
}
