import { parseNumberCell, readCsvBatches, regressionMetrics } from '@dynaprice/gbdt';
import { DomainError } from '@dynaprice/kernel';
import { OrtDemandModel } from '@dynaprice/ort';
import { requiredString, type CliCommand } from '../command';
import { FeatureEncoder, loadModelFiles } from '../model-files';
import { startProgress } from '../progress';
import { formatNumber, formatTable } from '../table';

export const BATCH_ROWS = 8192;

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'score a model on a labelled CSV file with onnxruntime: RMSE, MAE, WAPE, RMSE on log1p',
  usage: `dynaprice evaluate --model DIR --csv FILE --target COL [--json]

  --model DIR    a directory with model.onnx (and model-card.json), or an .onnx file with an embedded card
  --csv FILE     rows with the model's feature columns and the target
  --target COL   actual units
  --json         print one JSON object instead of a table
`,
  options: {
    model: { type: 'string' },
    csv: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values }, io) {
    const modelPath = requiredString(values, 'model');
    const csv = requiredString(values, 'csv');
    const target = requiredString(values, 'target');
    const { onnx, card } = await loadModelFiles(modelPath);
    const model = await OrtDemandModel.create(onnx, { version: card.sha256, numFeatures: card.features.length, logSeverityLevel: 4 });
    const actual: number[] = [];
    const predicted: number[] = [];
    const progress = startProgress(io, 'evaluating', 0);
    try {
      let encoder: FeatureEncoder | null = null;
      let targetPosition = -1;
      for await (const batch of readCsvBatches(csv, BATCH_ROWS)) {
        let from = 0;
        if (encoder === null) {
          const header = (batch.records[0] as string[]).map((h) => h.trim());
          targetPosition = header.indexOf(target);
          if (targetPosition < 0) throw DomainError.validation(csv, `no column ${JSON.stringify(target)} (columns: ${header.join(', ')})`);
          encoder = new FeatureEncoder(card, header, csv);
          from = 1;
        }
        const rows = batch.records.length - from;
        if (rows === 0) continue;
        const features = new Float32Array(rows * encoder.numFeatures);
        encoder.encode(batch.records, batch.lines, from, features);
        for (let r = from; r < batch.records.length; r++) {
          const cell = (batch.records[r] as string[])[targetPosition] as string;
          const value = parseNumberCell(cell);
          if (value === undefined || !Number.isFinite(value)) {
            throw DomainError.validation(`${csv}:${batch.lines[r]}`, `column "${target}": ${JSON.stringify(cell)} is not a finite number`);
          }
          actual.push(value);
        }
        const output = await model.predict(features, rows);
        for (const p of output) predicted.push(p);
        progress.update(0, `${actual.length} rows`);
      }
      if (encoder === null) throw DomainError.validation(csv, 'is empty (no header line)');
      if (actual.length === 0) throw DomainError.validation(csv, 'has a header but no data rows');
    } finally {
      progress.stop();
      await model.release();
    }
    const metrics = regressionMetrics(actual, predicted);
    if (values.json === true) {
      io.stdout.write(`${JSON.stringify({ model: modelPath, sha256: card.sha256, rows: metrics.rows, rmse: metrics.rmse, mae: metrics.mae, wape: metrics.wape, rmseLog1p: metrics.rmseLog1p })}\n`);
      return;
    }
    io.stdout.write(
      formatTable(
        ['metric', 'value'],
        [
          ['rows', String(metrics.rows)],
          ['RMSE', formatNumber(metrics.rmse)],
          ['MAE', formatNumber(metrics.mae)],
          ['WAPE', formatNumber(metrics.wape)],
          ['RMSE log1p', formatNumber(metrics.rmseLog1p)],
        ],
      ),
    );
  },
};
