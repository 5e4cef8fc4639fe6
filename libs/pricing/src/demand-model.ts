/**
 * The port through which pricing asks for demand. The ONNX Runtime adapter (libs/ort) implements it
 * in production; unit tests pass a plain function.
 * `features` is row-major with `rows` rows of DEMAND_FEATURE_COUNT columns; the answer holds one
 * expected-units value per row.
 */
export interface DemandModel {
  readonly version: string;
  predict(features: Float32Array, rows: number): Promise<Float32Array>;
}
