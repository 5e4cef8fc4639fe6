import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { csvField, readCsvBatches } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { OrtDemandModel } from '@dynaprice/ort';
import { UsageError } from '../cli-error';
import { requiredString, stringOption, type CliCommand } from '../command';
import { FeatureEncoder, loadModelFiles } from '../model-files';
import { startProgress } from '../progress';
import { BATCH_ROWS } from './evaluate';

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'append predicted units to every row of a CSV file (streaming, onnxruntime)',
  usage: `dynaprice predict --model DIR --csv FILE --out FILE [--column NAME]

  --model DIR     a directory with model.onnx (and model-card.json), or an .onnx file with an embedded card
  --csv FILE      rows with the model's feature columns
  --out FILE      the same rows with one more column
  --column NAME   name of that column (default prediction)
`,
  options: {
    model: { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
    column: { type: 'string' },
  },
  async run({ values }, io) {
    const modelPath = requiredString(values, 'model');
    const csv = requiredString(values, 'csv');
    const out = requiredString(values, 'out');
    const column = stringOption(values, 'column') ?? 'prediction';
    if (resolve(out) === resolve(csv)) throw new UsageError('--out must differ from --csv');
    const { onnx, card } = await loadModelFiles(modelPath);
    const model = await OrtDemandModel.create(onnx, { version: card.sha256, numFeatures: card.features.length, logSeverityLevel: 4 });
    const progress = startProgress(io, 'predicting', 0);
    // Rows go to a temporary file that replaces --out only when every row was predicted.
    const partial = `${out}.partial-${process.pid}`;
    let stream: ReturnType<typeof createWriteStream> | null = null;
    let rows = 0;
    let complete = false;
    try {
      let encoder: FeatureEncoder | null = null;
      for await (const batch of readCsvBatches(csv, BATCH_ROWS)) {
        let from = 0;
        let text = '';
        if (encoder === null) {
          const header = (batch.records[0] as string[]).map((h) => h.trim());
          if (header.includes(column)) throw new UsageError(`${csv} already has a column ${JSON.stringify(column)}; choose another with --column`);
          encoder = new FeatureEncoder(card, header, csv);
          from = 1;
          text += `${[...(batch.records[0] as string[]), column].map(csvField).join(',')}\n`;
        }
        const count = batch.records.length - from;
        if (count > 0) {
          const features = new Float32Array(count * encoder.numFeatures);
          encoder.encode(batch.records, batch.lines, from, features);
          const predictions = await model.predict(features, count);
          for (let r = from; r < batch.records.length; r++) {
            text += `${(batch.records[r] as string[]).map(csvField).join(',')},${formatFloat32(predictions[r - from] as number)}\n`;
          }
          rows += count;
        }
        stream ??= await openOutput(partial, out);
        if (!stream.write(text)) await once(stream, 'drain');
        progress.update(0, `${rows} rows`);
      }
      if (encoder === null) throw DomainError.validation(csv, 'is empty (no header line)');
      if (rows === 0) throw DomainError.validation(csv, 'has a header but no data rows');
      complete = true;
    } finally {
      progress.stop();
      await model.release();
      if (stream) {
        stream.end();
        await once(stream, 'close');
        if (complete) await rename(partial, out);
        else await rm(partial, { force: true });
      }
    }
    io.stdout.write(`wrote ${rows} predictions to ${out}\n`);
  },
};

async function openOutput(path: string, shownAs: string): Promise<ReturnType<typeof createWriteStream>> {
  const stream = createWriteStream(path);
  try {
    await once(stream, 'open');
  } catch (error) {
    throw DomainError.validation(shownAs, `cannot be written (${error instanceof Error ? error.message : String(error)})`);
  }
  return stream;
}

/** The shortest decimal that reads back as the same float32. */
function formatFloat32(value: number): string {
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return String(Number(text));
  }
  return String(value);
}
