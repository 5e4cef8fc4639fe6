import { DomainError } from '@dynaprice/kernel';
import { MIN_POISSON_GROUP } from './poisson-weights';
import type { PriceObservation } from './types';

/**
 * Columnar form of one attribute's observations, grouped by (stratum × segment) cell: the
 * bootstrap walks each cell's values in one sequential pass.
 */
export interface EncodedAttribute {
  readonly name: string;
  readonly strataKeys: readonly string[];
  /** Segment labels, sorted; a segment's code is its index here. */
  readonly segments: readonly string[];
  readonly segmentCounts: Int32Array;
  /** Observations carrying the attribute. */
  readonly observations: number;
  /** Distinct strata among those observations. */
  readonly strata: number;
  readonly cellCount: number;
  /** Segment code of each cell. */
  readonly cellSegment: Int32Array;
  /** Stratum code of each cell. */
  readonly cellStratum: Int32Array;
  /** Cell c holds values[cellStart[c] .. cellStart[c + 1]). */
  readonly cellStart: Int32Array;
  /** Price indexes of the attribute's observations, cell by cell, ascending within a cell. */
  readonly values: Float64Array;
  /** Distinct values of each cell: cell c holds groups cellGroupStart[c] .. cellGroupStart[c + 1]. */
  readonly cellGroupStart: Int32Array;
  readonly groupValue: Float64Array;
  /** Observations sharing the group's value. */
  readonly groupCount: Int32Array;
}

/** Validates the observations and encodes each attribute (one pass per attribute). */
export function encodeObservations(
  observations: readonly PriceObservation[],
  attributes: readonly { name: string; strataKeys: readonly string[] }[],
): EncodedAttribute[] {
  const rows = observations.length;
  const priceIndex = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const value = (observations[i] as PriceObservation).priceIndex;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw DomainError.validation(`observations[${i}].priceIndex`, `must be a finite number > 0, got ${String(value)}`);
    }
    priceIndex[i] = value;
  }

  const strataCache = new Map<string, Int32Array>();
  return attributes.map(({ name, strataKeys }) => {
    const signature = JSON.stringify(strataKeys);
    let strata = strataCache.get(signature);
    if (!strata) {
      strata = strataCodes(observations, strataKeys);
      strataCache.set(signature, strata);
    }

    // Segment codes in first-seen order, then remapped to sorted labels.
    const firstSeen = new Map<string, number>();
    const rowSegment = new Int32Array(rows).fill(-1);
    for (let i = 0; i < rows; i++) {
      const value = (observations[i] as PriceObservation).segments[name];
      if (value === undefined) continue;
      let code = firstSeen.get(value);
      if (code === undefined) {
        code = firstSeen.size;
        firstSeen.set(value, code);
      }
      rowSegment[i] = code;
    }
    const labels = [...firstSeen.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const remap = new Int32Array(labels.length);
    labels.forEach((label, sorted) => {
      remap[firstSeen.get(label) as number] = sorted;
    });

    const numSegments = labels.length;
    const segmentCounts = new Int32Array(numSegments);
    const cellIndex = new Map<number, number>();
    const cellSegment: number[] = [];
    const cellStratum: number[] = [];
    const cellSize: number[] = [];
    const rowCell = new Int32Array(rows).fill(-1);
    let present = 0;
    for (let i = 0; i < rows; i++) {
      const code = rowSegment[i] as number;
      if (code < 0) continue;
      const segment = remap[code] as number;
      const stratum = strata[i] as number;
      segmentCounts[segment] = (segmentCounts[segment] as number) + 1;
      present++;
      const key = stratum * numSegments + segment;
      let cell = cellIndex.get(key);
      if (cell === undefined) {
        cell = cellSegment.length;
        cellIndex.set(key, cell);
        cellSegment.push(segment);
        cellStratum.push(stratum);
        cellSize.push(0);
      }
      cellSize[cell] = (cellSize[cell] as number) + 1;
      rowCell[i] = cell;
    }
    const cellCount = cellSegment.length;
    const cellStart = new Int32Array(cellCount + 1);
    for (let c = 0; c < cellCount; c++) cellStart[c + 1] = (cellStart[c] as number) + (cellSize[c] as number);
    const next = cellStart.slice(0, cellCount);
    const values = new Float64Array(present);
    for (let i = 0; i < rows; i++) {
      const cell = rowCell[i] as number;
      if (cell < 0) continue;
      values[next[cell] as number] = priceIndex[i] as number;
      next[cell] = (next[cell] as number) + 1;
    }
    // Sort each cell and collapse runs of at least MIN_POISSON_GROUP equal values (prices sit on a
    // grid): the bootstrap draws one Poisson(m) weight for such a run, one Poisson(1) per other value.
    const cellGroupStart = new Int32Array(cellCount + 1);
    const groupValue: number[] = [];
    const groupCount: number[] = [];
    for (let c = 0; c < cellCount; c++) {
      const cell = values.subarray(cellStart[c] as number, cellStart[c + 1] as number).sort();
      let j = 0;
      while (j < cell.length) {
        const v = cell[j] as number;
        let run = 1;
        while (j + run < cell.length && cell[j + run] === v) run++;
        if (run >= MIN_POISSON_GROUP) {
          groupValue.push(v);
          groupCount.push(run);
        } else {
          for (let k = 0; k < run; k++) {
            groupValue.push(v);
            groupCount.push(1);
          }
        }
        j += run;
      }
      cellGroupStart[c + 1] = groupValue.length;
    }
    return {
      name,
      strataKeys,
      segments: labels,
      segmentCounts,
      observations: present,
      strata: new Set(cellStratum).size,
      cellCount,
      cellSegment: Int32Array.from(cellSegment),
      cellStratum: Int32Array.from(cellStratum),
      cellStart,
      values,
      cellGroupStart,
      groupValue: Float64Array.from(groupValue),
      groupCount: Int32Array.from(groupCount),
    };
  });
}

function strataCodes(observations: readonly PriceObservation[], keys: readonly string[]): Int32Array {
  const codes = new Int32Array(observations.length);
  const index = new Map<string, number>();
  const parts: string[] = new Array<string>(keys.length);
  for (let i = 0; i < observations.length; i++) {
    const strata = (observations[i] as PriceObservation).strata;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k] as string;
      const value = strata[key];
      if (value === undefined) throw DomainError.validation(`observations[${i}].strata.${key}`, 'is required');
      parts[k] = String(value);
    }
    const joined = parts.join('\u001f');
    let code = index.get(joined);
    if (code === undefined) {
      code = index.size;
      index.set(joined, code);
    }
    codes[i] = code;
  }
  return codes;
}
