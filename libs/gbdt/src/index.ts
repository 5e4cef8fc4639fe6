export * from './types';
export { trainGbdt, rawToUnits, splitByTime, type TrainingData, type TrainOptions, type TrainProgress } from './train';
export { BinMapper, MISSING_BIN, OTHER_BIN, MAX_CATEGORIES, numericThresholds, type FeatureBinning } from './binning';
export { regressionMetrics, rmse } from './metrics';
export { DEFAULT_PROTECTED_ATTRIBUTES, assertNoProtectedAttributes, normaliseAttributeName } from './protected-attributes';
export {
  TreeEnsembleEvaluator,
  NodeMode,
  runPostProgram,
  unitsProgram,
  IDENTITY_PROGRAM,
  EXPM1_POLYNOMIAL_BELOW,
  type FlatEnsemble,
  type NodeModeName,
  type PostProgram,
  type PostInstruction,
  type PostOperand,
  type UnaryPostOp,
  type BinaryPostOp,
} from './evaluator';
export {
  exportOnnx,
  treesToJson,
  treesFromJson,
  ONNX_INPUT_NAME,
  ONNX_OUTPUT_NAME,
  ONNX_OPSET,
  ONNX_ML_OPSET,
  ONNX_IR_VERSION,
  MODEL_CARD_METADATA_KEY,
  TREES_METADATA_KEY,
  type OnnxExportOptions,
  type EmbeddedTrees,
} from './onnx-export';
export { buildModelCard, createModelArtifacts, sha256Hex, type ModelCard, type ModelCardFeature, type ModelCardInput, type ModelArtifacts } from './model-card';
export {
  decodeOnnx,
  inspectOnnx,
  loadTreeEnsemble,
  readModelCard,
  readEmbeddedTrees,
  type OnnxModelInfo,
  type OnnxNodeInfo,
  type OnnxTensorInfo,
} from './onnx-inspect';
export {
  CsvParser,
  readCsvBatches,
  readCsvColumns,
  readCsvHeader,
  parseNumberCell,
  csvField,
  type CsvBatch,
  type CsvColumn,
  type CsvColumns,
  type CsvColumnKind,
  type CsvColumnSpec,
} from './csv';
export {
  loadAvocado,
  loadFreshRetailNet,
  scoreDataset,
  readReference,
  isoWeek,
  REFERENCE_PARAMS,
  type PreparedDataset,
  type DatasetSplit,
  type DatasetReference,
  type DatasetScore,
} from './datasets';
export { syntheticDemand, SYNTHETIC_FEATURES, type SyntheticDemand } from './synthetic';
export { PathDependentTreeShap, InterventionalTreeShap, coverFraction, type ShapExplanation } from './treeshap';
export { ModelShapExplainer, type ModelShapExplanation, type ShapMethod } from './treeshap-model';
