import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspectOnnx, parseNumberCell, readModelCard, sha256Hex, type ModelCard } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { UsageError } from './cli-error';

export const MODEL_FILE = 'model.onnx';
export const CARD_FILE = 'model-card.json';

export interface ModelFiles {
  readonly onnx: Uint8Array;
  /** The card, with the sha256 of `onnx`. */
  readonly card: ModelCard & { readonly sha256: string };
}

/**
 * Reads DIR/model.onnx (or the .onnx file given) and its card: DIR/model-card.json when present
 * (its sha256 must be the ONNX's), else the card embedded in the ONNX.
 */
export async function loadModelFiles(path: string): Promise<ModelFiles> {
  if (!existsSync(path)) throw new UsageError(`--model ${path} does not exist`);
  const onnxPath = statSync(path).isDirectory() ? join(path, MODEL_FILE) : path;
  if (!existsSync(onnxPath)) throw new UsageError(`--model ${path} has no ${MODEL_FILE}`);
  const onnx = new Uint8Array(await readFile(onnxPath));
  const sha256 = sha256Hex(onnx);
  inspectOnnx(onnx);
  const cardPath = join(dirname(onnxPath), CARD_FILE);
  let card: ModelCard | null;
  if (basename(onnxPath) === MODEL_FILE && existsSync(cardPath)) {
    try {
      card = JSON.parse(await readFile(cardPath, 'utf8')) as ModelCard;
    } catch (error) {
      throw DomainError.validation(cardPath, `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (card.sha256 !== sha256) throw DomainError.validation(cardPath, `does not belong to ${onnxPath}: its sha256 is ${card.sha256 ?? 'missing'}, the model's is ${sha256}`);
  } else {
    card = readModelCard(onnx);
    if (card === null) throw DomainError.validation(onnxPath, 'has no model card, so its features cannot be matched to CSV columns');
  }
  if (!Array.isArray(card.features) || card.features.length === 0) throw DomainError.validation(cardPath, 'lists no features');
  return { onnx, card: { ...card, sha256 } };
}

/** Turns CSV records into the model's float32 feature rows, column by column as the card says. */
export class FeatureEncoder {
  private readonly positions: number[];
  private readonly vocabularies: (Map<string, number> | null)[];
  readonly numFeatures: number;

  constructor(
    private readonly card: ModelCard,
    private readonly header: readonly string[],
    private readonly path: string,
  ) {
    const missing = card.features.filter((f) => !header.includes(f.name)).map((f) => JSON.stringify(f.name));
    if (missing.length > 0) throw DomainError.validation(path, `no column ${missing.join(', ')} (the model needs ${card.features.map((f) => f.name).join(', ')})`);
    this.positions = card.features.map((f) => header.indexOf(f.name));
    this.vocabularies = card.features.map((f) => (f.vocabulary ? new Map(f.vocabulary.map((v, i) => [v, i])) : null));
    this.numFeatures = card.features.length;
  }

  /** Writes records[from..] as rows of `out` (row-major). */
  encode(records: readonly string[][], lines: readonly number[], from: number, out: Float32Array): void {
    const width = this.header.length;
    const features = this.card.features;
    for (let r = from; r < records.length; r++) {
      const record = records[r] as string[];
      const line = lines[r] as number;
      if (record.length !== width) throw DomainError.validation(`${this.path}:${line}`, `expected ${width} fields, found ${record.length}`);
      const base = (r - from) * this.numFeatures;
      for (let f = 0; f < features.length; f++) {
        const cell = record[this.positions[f] as number] as string;
        const vocabulary = this.vocabularies[f];
        let value: number | undefined;
        if (vocabulary) {
          const trimmed = cell.trim();
          value = trimmed === '' || trimmed === 'NA' ? Number.NaN : (vocabulary.get(trimmed) ?? -1);
        } else {
          value = parseNumberCell(cell);
        }
        if (value === undefined) {
          const feature = features[f];
          throw DomainError.validation(`${this.path}:${line}`, `column "${feature?.name}": ${JSON.stringify(cell.slice(0, 40))} is not ${feature?.type === 'categorical' ? 'a category code' : 'a number'}`);
        }
        out[base + f] = value;
      }
    }
  }
}
