import { DomainError, SeededRandom } from '@dynaprice/kernel';
import type { PostProgram, TreeEnsembleEvaluator } from './evaluator';
import { loadTreeEnsemble, readEmbeddedTrees } from './onnx-inspect';
import { InterventionalTreeShap, PathDependentTreeShap, type ShapExplanation } from './treeshap';

export type ShapMethod = 'path-dependent' | 'interventional';

/** One row explained against a served ONNX model. */
export interface ModelShapExplanation extends ShapExplanation {
  readonly method: ShapMethod;
  /** The graph's own raw output for the row (float32, what onnxruntime sums); `prediction` is the same sum in float64. */
  readonly modelRaw: number;
  /** The graph's final output for the row (expected units): the element-wise steps applied to `modelRaw`. */
  readonly units: number;
}

/**
 * Explains the raw score of an ONNX tree-ensemble model. Path-dependent TreeSHAP when the model embeds
 * its trees with node covers (`dynaprice.trees`, the built-in trainer) and they agree with the graph;
 * interventional TreeSHAP against `background` otherwise (any TreeEnsembleRegressor).
 */
export class ModelShapExplainer {
  readonly method: ShapMethod;
  readonly numFeatures: number;
  /** Background rows used (interventional), else 0. */
  readonly backgroundRows: number;
  /** Why covers were not used, when they were not. */
  readonly coverNote: string | null;
  private readonly pathDependent: PathDependentTreeShap | null;
  private readonly interventional: InterventionalTreeShap | null;

  private constructor(
    private readonly evaluator: TreeEnsembleEvaluator,
    pathDependent: PathDependentTreeShap | null,
    interventional: InterventionalTreeShap | null,
    coverNote: string | null,
  ) {
    this.pathDependent = pathDependent;
    this.interventional = interventional;
    this.method = pathDependent ? 'path-dependent' : 'interventional';
    this.numFeatures = evaluator.numFeatures;
    this.backgroundRows = interventional?.backgroundRows ?? 0;
    this.coverNote = coverNote;
  }

  /** Whether the model carries trees with covers that agree with its graph (no background needed). */
  static hasCovers(onnxBytes: Uint8Array): boolean {
    const evaluator = loadTreeEnsemble(onnxBytes);
    return coveredTrees(onnxBytes, evaluator).explainer !== null;
  }

  /**
   * `background`: row-major float32 rows (NaN = missing) for models without covers; ignored when covers
   * are used. Throws PRECONDITION_FAILED when the model has no covers and no background is given.
   */
  static create(onnxBytes: Uint8Array, background?: { readonly rows: ArrayLike<number>; readonly count: number }): ModelShapExplainer {
    const evaluator = loadTreeEnsemble(onnxBytes);
    const covered = coveredTrees(onnxBytes, evaluator);
    if (covered.explainer) return new ModelShapExplainer(evaluator, covered.explainer, null, null);
    if (!background || background.count < 1) {
      throw new DomainError('PRECONDITION_FAILED', `the model has no usable node covers (${covered.note}): interventional TreeSHAP needs background rows`);
    }
    return new ModelShapExplainer(evaluator, null, new InterventionalTreeShap(evaluator.ensemble, background.rows, background.count), covered.note);
  }

  /** The element-wise steps from raw score to units. */
  get post(): PostProgram {
    return this.evaluator.ensemble.post;
  }

  explain(row: ArrayLike<number>): ModelShapExplanation {
    if (row.length !== this.numFeatures) throw DomainError.validation('features', `the model reads ${this.numFeatures} features, the row has ${row.length}`);
    const explanation = (this.pathDependent ?? (this.interventional as InterventionalTreeShap)).explain(row);
    const input = Float32Array.from(row);
    return {
      ...explanation,
      method: this.method,
      modelRaw: this.evaluator.evaluateRaw(input, 1)[0] as number,
      units: this.evaluator.evaluate(input, 1)[0] as number,
    };
  }
}

/** Probe rows that tell the embedded trees from the graph when they differ (stale or foreign metadata). */
const PROBE_ROWS = 256;

function coveredTrees(onnxBytes: Uint8Array, evaluator: TreeEnsembleEvaluator): { explainer: PathDependentTreeShap | null; note: string } {
  let embedded;
  try {
    embedded = readEmbeddedTrees(onnxBytes);
  } catch (error) {
    return { explainer: null, note: `embedded trees unreadable: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!embedded) return { explainer: null, note: 'no embedded trees' };
  const numFeatures = evaluator.numFeatures;
  if (embedded.trees.length !== evaluator.treeCount) return { explainer: null, note: `${embedded.trees.length} embedded trees, ${evaluator.treeCount} in the graph` };
  let explainer: PathDependentTreeShap;
  try {
    explainer = new PathDependentTreeShap(embedded.trees, embedded.baseScore, numFeatures);
  } catch (error) {
    return { explainer: null, note: `embedded trees invalid: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (embedded.trees.some((tree) => tree.nodes.some((node) => !(node.cover >= 0)))) return { explainer: null, note: 'embedded trees lack covers' };
  // The trees must be the graph's: same raw score on probe rows spread over typical feature ranges.
  const rng = new SeededRandom(0x5ea9);
  const probe = new Float32Array(PROBE_ROWS * numFeatures);
  for (let i = 0; i < probe.length; i++) {
    const u = rng.next();
    probe[i] = u < 0.03 ? Number.NaN : u < 0.3 ? rng.int(0, 12) : u < 0.6 ? rng.uniform(0, 2) : rng.uniform(0, 100);
  }
  const raw = evaluator.evaluateRaw(probe, PROBE_ROWS);
  for (let r = 0; r < PROBE_ROWS; r++) {
    const mine = explainer.predict(probe.subarray(r * numFeatures, (r + 1) * numFeatures));
    const theirs = raw[r] as number;
    if (!(Math.abs(mine - theirs) <= 1e-4 * (1 + Math.abs(theirs)))) return { explainer: null, note: 'embedded trees disagree with the graph' };
  }
  return { explainer, note: '' };
}
