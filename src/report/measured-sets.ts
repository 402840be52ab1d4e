/** What the reports of the measured validation sets (throughput, fine-tuning) share. */
import type { Chart, Column } from './model.js';

/** The sources table: one row per set, with its split and first document. */
export const SOURCE_COLUMNS: Column[] = [
  { key: 'id', label: 'set', kind: 'text' },
  { key: 'split', label: 'split', kind: 'text' },
  { key: 'rows', label: 'rows', kind: 'integer' },
  { key: 'source', label: 'source', kind: 'text' },
];

/** The line where predicted equals measured, across the values shown. */
export function agreementLine(low: number, high: number): Chart['series'][number] {
  return {
    name: 'predicted = measured',
    points: [
      [low, low],
      [high, high],
    ],
  };
}

/** One predictor's [measured, predicted] points, with its legend name. */
export interface PredictorPoints {
  name: string;
  points: [number, number][];
}

/**
 * Predicted against measured tokens per second per GPU on log axes: the constant the model has to
 * beat, the step-time model, and the line where they would agree with the measurement.
 */
export function tokensPerSecondChart(title: string, constant: PredictorPoints, model: PredictorPoints): Chart {
  const all = [...constant.points, ...model.points].flat();
  return {
    title,
    xLabel: 'measured tokens/s per GPU',
    yLabel: 'predicted tokens/s per GPU',
    xLog: true,
    yLog: true,
    xLogBase: 10,
    yKind: 'number',
    legendTitle: 'predictor',
    series: [{ ...constant, markersOnly: true }, { ...model, markersOnly: true }, agreementLine(Math.min(...all), Math.max(...all))],
  };
}
