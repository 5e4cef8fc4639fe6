/** Loss minimised by the booster. `poisson` uses a log link: the raw score is log(expected units). */
export type GbdtLoss = 'squared' | 'poisson';

/** Transform of the target before training; `log1p` trains on log1p(y) and predicts expm1(score). */
export type TargetTransform = 'none' | 'log1p';

export type FeatureType = 'numeric' | 'categorical';

/** -1: predictions never increase with the feature; +1: never decrease; 0: free. */
export type MonotoneDirection = -1 | 0 | 1;

export interface FeatureSpec {
  readonly name: string;
  readonly type: FeatureType;
  /** Numeric features only. */
  readonly monotone?: MonotoneDirection;
}

/**
 * Hyper-parameters. Growth is leaf-wise (best-first, like LightGBM): the leaf with the largest gain
 * is split next until `maxLeaves` leaves exist, no leaf at depth < `maxDepth` has a valid split, or
 * nothing gains. With `maxLeaves >= 2^maxDepth` this grows the same trees as depth-wise growth.
 */
export interface GbdtParams {
  readonly loss: GbdtLoss;
  readonly targetTransform: TargetTransform;
  /** Boosting rounds (the model may keep fewer: early stopping). */
  readonly numTrees: number;
  readonly learningRate: number;
  /** Maximum depth of a leaf (root = 0); 0 = no limit. */
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly minDataInLeaf: number;
  readonly minHessianInLeaf: number;
  /** L2 regularisation of leaf outputs (lambda). */
  readonly lambdaL2: number;
  readonly minGainToSplit: number;
  /** Value bins per feature, ≤ 255 (missing values get bin 255 of their own). */
  readonly maxBins: number;
  /** Rows sampled to find numeric bin edges. */
  readonly binSampleSize: number;
  /** Fraction of rows each tree sees (bagging without replacement), in (0, 1]. */
  readonly rowSubsample: number;
  /** Fraction of features each tree may split on, in (0, 1]. */
  readonly featureSubsample: number;
  readonly seed: number;
  /** Stop when the validation metric has not improved for this many rounds; 0 = never stop early. */
  readonly earlyStoppingRounds: number;
  /**
   * Without explicit validation rows: this fraction of the rows at the END of the time order (the
   * `time` key, or the row order) becomes the validation split. 0 = no validation.
   */
  readonly validationFraction: number;
  /** Categorical splits: smoothing added to the hessian when ordering categories by gradient / hessian. */
  readonly categoricalSmoothing: number;
  /** Categorical splits: a category needs this many rows in the node to be put on the left. */
  readonly minCategorySupport: number;
  /** Categorical splits: at most this many categories go left. */
  readonly maxCategoriesPerSplit: number;
  /** Poisson: hessian = exp(score + this), LightGBM's safeguard against huge first steps. */
  readonly poissonMaxDeltaStep: number;
}

export const DEFAULT_GBDT_PARAMS: GbdtParams = {
  loss: 'squared',
  targetTransform: 'none',
  numTrees: 100,
  learningRate: 0.1,
  maxDepth: 0,
  maxLeaves: 31,
  minDataInLeaf: 20,
  minHessianInLeaf: 1e-3,
  lambdaL2: 0,
  minGainToSplit: 0,
  maxBins: 255,
  binSampleSize: 200_000,
  rowSubsample: 1,
  featureSubsample: 1,
  seed: 0,
  earlyStoppingRounds: 0,
  validationFraction: 0,
  categoricalSmoothing: 10,
  minCategorySupport: 10,
  maxCategoriesPerSplit: 64,
  poissonMaxDeltaStep: 0.7,
};

/**
 * One node of a tree. Node 0 is the root. A numeric split sends a row left when
 * `x <= threshold` (float32 comparison); a categorical split when x is one of `categories`
 * (an integer code); NaN goes left iff `defaultLeft`; any other value goes right.
 */
export interface TreeNode {
  readonly isLeaf: boolean;
  /** Split feature index, -1 for a leaf. */
  readonly feature: number;
  /** Numeric split threshold (a float32 value); NaN for categorical splits and leaves. */
  readonly threshold: number;
  /** Categorical split: the codes that go left (sorted); null otherwise. */
  readonly categories: readonly number[] | null;
  readonly defaultLeft: boolean;
  /** Child node indices; -1 for a leaf. */
  readonly left: number;
  readonly right: number;
  /** Leaf output (float32, learning rate applied). For a split node: the output it would have as a leaf. */
  readonly value: number;
  /** Training rows (of this tree's sample) that reached the node: TreeSHAP's cover. */
  readonly cover: number;
  /** Sum of hessians of those rows. */
  readonly hessian: number;
  /** Split gain (0 for a leaf). */
  readonly gain: number;
}

export interface GbdtTree {
  readonly nodes: readonly TreeNode[];
}

/** Regression metrics in target units. WAPE = Σ|u − û| / Σu; rmseLog1p = RMSE of log1p(u) vs log1p(max(û, 0)). */
export interface RegressionMetrics {
  readonly rows: number;
  readonly rmse: number;
  readonly mae: number;
  readonly wape: number;
  readonly rmseLog1p: number;
}

/** Histogram of one feature of the training rows, for drift checks (PSI, KS) later. */
export interface ReferenceDistribution {
  readonly feature: string;
  readonly type: FeatureType;
  /**
   * numeric: inner quantile edges; bin i holds edges[i-1] < x <= edges[i] (open ends).
   * categorical: the category codes, in the order of `proportions` (the last proportion is
   * "any other code" when `proportions.length === edges.length + 1`).
   */
  readonly edges: readonly number[];
  /** Share of the non-missing rows in each bin. */
  readonly proportions: readonly number[];
  /** Share of all rows that are missing (NaN). */
  readonly missing: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly rows: number;
}

export interface TrainingHistory {
  /** `rmse` on the (transformed) target for squared loss, mean Poisson deviance for Poisson. */
  readonly metric: 'rmse' | 'poisson_deviance';
  /** Validation metric after each boosting round. */
  readonly validation: readonly number[];
}

/** A trained model: plain data (JSON-serialisable). */
export interface GbdtModel {
  readonly features: readonly FeatureSpec[];
  readonly params: GbdtParams;
  /** Raw score before any tree (float32): mean target, or log mean for Poisson. */
  readonly baseScore: number;
  readonly trees: readonly GbdtTree[];
  /** Number of boosting rounds kept (the best validation round when early stopping, else all). */
  readonly bestIteration: number;
  readonly history: TrainingHistory;
  /** Total split gain per feature (in feature order), over the kept trees. */
  readonly featureImportance: readonly number[];
  readonly trainingRows: number;
  readonly validationRows: number;
  /** On the validation split, in target units; null without validation. */
  readonly validationMetrics: RegressionMetrics | null;
  readonly referenceDistributions: readonly ReferenceDistribution[];
}
