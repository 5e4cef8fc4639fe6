/**
 * Histogram layout, planar per feature: 256 gradient sums, then 256 hessian sums, then 256 row
 * counts. Feature f's gradient sum of bin b is at f * FEATURE_STRIDE + b.
 */
export const HESS = 256;
export const COUNT = 512;
export const FEATURE_STRIDE = 768;

/**
 * The inputs of a histogram build. `orderedGrad[j]` (and `orderedHess[j]`) belong to the row at
 * position j of the row order (`rowIndex[j]`, or row j itself for an identity build): the grower
 * gathers a node's gradients once, so the per-feature passes read them sequentially.
 */
export interface HistogramInputs {
  readonly bins: Uint8Array;
  readonly rows: number;
  readonly rowIndex: Int32Array;
  readonly orderedGrad: Float64Array;
  readonly orderedHess: Float64Array;
}

/**
 * Adds positions [begin, end) of the row order to the histograms of `features` (which must be
 * zero for them). `identity`: position j holds row j (the root without bagging). `withHess`:
 * accumulate hessians too (otherwise the caller derives them from the counts).
 */
export function buildHistograms(
  hist: Float64Array,
  input: HistogramInputs,
  begin: number,
  end: number,
  identity: boolean,
  withHess: boolean,
  features: Int32Array,
): void {
  let k = 0;
  const count = features.length;
  if (!withHess) {
    // Four (or two) features per pass: the row index and gradient are loaded once for all of them.
    for (; k + 4 <= count; k += 4) histogramOfFour(hist, input, features, k, begin, end, identity);
    if (k + 2 <= count) {
      histogramOfTwo(hist, input, features, k, begin, end, identity);
      k += 2;
    }
  }
  for (; k < count; k++) histogramOfOne(hist, input, features[k] as number, begin, end, identity, withHess);
}

function histogramOfFour(hist: Float64Array, input: HistogramInputs, features: Int32Array, k: number, begin: number, end: number, identity: boolean): void {
  const { bins, rows, rowIndex, orderedGrad: og } = input;
  const f0 = features[k] as number;
  const f1 = features[k + 1] as number;
  const f2 = features[k + 2] as number;
  const f3 = features[k + 3] as number;
  const o0 = f0 * rows;
  const o1 = f1 * rows;
  const o2 = f2 * rows;
  const o3 = f3 * rows;
  const g0 = f0 * FEATURE_STRIDE;
  const g1 = f1 * FEATURE_STRIDE;
  const g2 = f2 * FEATURE_STRIDE;
  const g3 = f3 * FEATURE_STRIDE;
  const c0 = g0 + COUNT;
  const c1 = g1 + COUNT;
  const c2 = g2 + COUNT;
  const c3 = g3 + COUNT;
  if (identity) {
    for (let r = begin; r < end; r++) {
      const g = og[r] as number;
      let b = bins[o0 + r] as number;
      hist[g0 + b] = (hist[g0 + b] as number) + g;
      hist[c0 + b] = (hist[c0 + b] as number) + 1;
      b = bins[o1 + r] as number;
      hist[g1 + b] = (hist[g1 + b] as number) + g;
      hist[c1 + b] = (hist[c1 + b] as number) + 1;
      b = bins[o2 + r] as number;
      hist[g2 + b] = (hist[g2 + b] as number) + g;
      hist[c2 + b] = (hist[c2 + b] as number) + 1;
      b = bins[o3 + r] as number;
      hist[g3 + b] = (hist[g3 + b] as number) + g;
      hist[c3 + b] = (hist[c3 + b] as number) + 1;
    }
    return;
  }
  for (let j = begin; j < end; j++) {
    const r = rowIndex[j] as number;
    const g = og[j] as number;
    let b = bins[o0 + r] as number;
    hist[g0 + b] = (hist[g0 + b] as number) + g;
    hist[c0 + b] = (hist[c0 + b] as number) + 1;
    b = bins[o1 + r] as number;
    hist[g1 + b] = (hist[g1 + b] as number) + g;
    hist[c1 + b] = (hist[c1 + b] as number) + 1;
    b = bins[o2 + r] as number;
    hist[g2 + b] = (hist[g2 + b] as number) + g;
    hist[c2 + b] = (hist[c2 + b] as number) + 1;
    b = bins[o3 + r] as number;
    hist[g3 + b] = (hist[g3 + b] as number) + g;
    hist[c3 + b] = (hist[c3 + b] as number) + 1;
  }
}

function histogramOfTwo(hist: Float64Array, input: HistogramInputs, features: Int32Array, k: number, begin: number, end: number, identity: boolean): void {
  const { bins, rows, rowIndex, orderedGrad: og } = input;
  const f0 = features[k] as number;
  const f1 = features[k + 1] as number;
  const o0 = f0 * rows;
  const o1 = f1 * rows;
  const g0 = f0 * FEATURE_STRIDE;
  const g1 = f1 * FEATURE_STRIDE;
  const c0 = g0 + COUNT;
  const c1 = g1 + COUNT;
  for (let j = begin; j < end; j++) {
    const r = identity ? j : (rowIndex[j] as number);
    const g = og[j] as number;
    let b = bins[o0 + r] as number;
    hist[g0 + b] = (hist[g0 + b] as number) + g;
    hist[c0 + b] = (hist[c0 + b] as number) + 1;
    b = bins[o1 + r] as number;
    hist[g1 + b] = (hist[g1 + b] as number) + g;
    hist[c1 + b] = (hist[c1 + b] as number) + 1;
  }
}

function histogramOfOne(hist: Float64Array, input: HistogramInputs, f: number, begin: number, end: number, identity: boolean, withHess: boolean): void {
  const { bins, rows, rowIndex, orderedGrad: og, orderedHess: oh } = input;
  const offset = f * rows;
  const g0 = f * FEATURE_STRIDE;
  const h0 = g0 + HESS;
  const c0 = g0 + COUNT;
  for (let j = begin; j < end; j++) {
    const r = identity ? j : (rowIndex[j] as number);
    const b = bins[offset + r] as number;
    hist[g0 + b] = (hist[g0 + b] as number) + (og[j] as number);
    if (withHess) hist[h0 + b] = (hist[h0 + b] as number) + (oh[j] as number);
    hist[c0 + b] = (hist[c0 + b] as number) + 1;
  }
}
