/** One measured figure. The runner prints `value / baseline` as the ratio when a baseline is given. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline, measured in the same run. */
  baseline?: number;
  baselineName?: string;
  /** What we aim for, as text (e.g. "≥ 20× baseline", "< 1 GiB"). */
  target?: string;
}
