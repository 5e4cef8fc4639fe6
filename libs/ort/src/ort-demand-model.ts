import { DomainError } from '@dynaprice/kernel';
import type { DemandModel } from '@dynaprice/pricing';
import { InferenceSession, Tensor } from 'onnxruntime-node';

export interface OrtDemandModelOptions {
  /** Model version reported by `version` (e.g. the registry version or the ONNX sha256). */
  readonly version: string;
  /** Expected feature count: checked against the model's input when it declares one; required when it does not. */
  readonly numFeatures?: number;
  /** onnxruntime log level (0 verbose … 4 fatal); default 3 (errors). */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
}

/**
 * The demand model served by onnxruntime-node (single-threaded sessions: parallelism comes from
 * concurrent requests). Input: the model's only float32 input [N, F]; output: `units` when the model
 * has it, else its first output, one value per row.
 */
export class OrtDemandModel implements DemandModel {
  private released = false;

  private constructor(
    readonly version: string,
    private readonly session: InferenceSession,
    readonly inputName: string,
    readonly outputName: string,
    readonly numFeatures: number,
  ) {}

  /** Loads ONNX bytes; DomainError VALIDATION_FAILED when they are not a usable regressor. */
  static async create(bytes: Uint8Array, options: OrtDemandModelOptions): Promise<OrtDemandModel> {
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        logSeverityLevel: options.logSeverityLevel ?? 3,
      });
    } catch (error) {
      throw DomainError.validation('model', `onnxruntime cannot load it: ${firstLine(error)}`);
    }
    try {
      if (session.inputNames.length !== 1) throw DomainError.validation('model', `expected one input, found ${session.inputNames.length}`);
      const inputName = session.inputNames[0] as string;
      const outputName = session.outputNames.includes('units') ? 'units' : (session.outputNames[0] as string);
      const input = session.inputMetadata[0];
      if (!input || !input.isTensor || input.type !== 'float32') throw DomainError.validation('model', `input ${inputName} must be a float32 tensor`);
      if (input.shape.length !== 2 && input.shape.length !== 0) throw DomainError.validation('model', `input ${inputName} must be [N, F], is [${input.shape.join(', ')}]`);
      const declared = input.shape[1];
      const numFeatures = typeof declared === 'number' ? declared : options.numFeatures;
      if (numFeatures === undefined) throw DomainError.validation('model', `input ${inputName} does not fix its feature count; pass numFeatures`);
      if (options.numFeatures !== undefined && options.numFeatures !== numFeatures) {
        throw DomainError.validation('model', `expects ${numFeatures} features, the caller has ${options.numFeatures}`);
      }
      return new OrtDemandModel(options.version, session, inputName, outputName, numFeatures);
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  /** Expected units for `rows` rows of a row-major float32 matrix with `numFeatures` columns. */
  async predict(features: Float32Array, rows: number): Promise<Float32Array> {
    if (this.released) throw new DomainError('UNAVAILABLE', `model ${this.version} has been released`);
    if (!Number.isInteger(rows) || rows < 0) throw DomainError.validation('rows', 'must be a non-negative integer');
    if (features.length !== rows * this.numFeatures) {
      throw DomainError.validation('features', `expected ${rows} × ${this.numFeatures} = ${rows * this.numFeatures} values, got ${features.length}`);
    }
    if (rows === 0) return new Float32Array(0);
    const result = await this.session.run({ [this.inputName]: new Tensor('float32', features, [rows, this.numFeatures]) }, [this.outputName]);
    const output = result[this.outputName];
    if (!output || !(output.data instanceof Float32Array) || output.data.length !== rows) {
      throw DomainError.validation('model', `output ${this.outputName} is not one float32 value per row`);
    }
    return output.data;
  }

  /** Frees the native session; later `predict` calls fail. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n').find((line) => line.trim()) ?? message).trim().slice(0, 300);
}
