// Event marks of the live charts as data, apart from the drawing (unit-tested in Node): which
// kernel counter stands behind each kind of mark, and how many events one mark stands for. The
// host samples once a second, so one mark can stand for several OOM kills or many throttled periods.
import type { MetricEvent, MetricKey, MetricPoint } from '../src/shared/protocol';

export interface MarkSpec {
  event: MetricEvent;
  /** Legend and counter text. */
  label: string;
  /** The kernel's cumulative counter behind the event. */
  counter: MetricKey;
  /** Key of `sources` (the reading's counter name) that names the file the counter came from. */
  source: string;
  /** Where a mark sits: on the chart's first line, or on its limit line when there is a limit (an OOM kill happens there). */
  at: 'line' | 'limit';
}

export const OOM_MARK: MarkSpec = { event: 'oom', label: 'OOM kills', counter: 'oomKills', source: 'oomKillEvents', at: 'limit' };
export const THROTTLE_MARK: MarkSpec = { event: 'throttled', label: 'throttled periods', counter: 'throttledPeriods', source: 'cpuThrottledPeriods', at: 'line' };

/**
 * How many events the mark of `spec` at `point` stands for: null when the point carries no such
 * event, else the rise of its counter since the previous point (`prev`, the last values seen),
 * or 1 when the counter itself is not readable here.
 */
export function markCount(spec: MarkSpec, prev: Partial<Record<MetricKey, number | null>>, point: MetricPoint): number | null {
  if (!point.events.includes(spec.event)) return null;
  const a = prev[spec.counter];
  const b = point.values[spec.counter];
  return typeof a === 'number' && typeof b === 'number' && b > a ? b - a : 1;
}

/** The counter text under a chart's title, e.g. "OOM kills: 7"; empty when the counter is not readable. */
export function counterText(spec: MarkSpec, value: number | null | undefined): string {
  return typeof value === 'number' ? `${spec.label}: ${value}` : '';
}

/** The y of a mark at `point`: its limit line's value when it sits there and the limit is set, else the first line's (0 when missing). */
export function markY(spec: MarkSpec, point: MetricPoint, line: MetricKey, limit: MetricKey | undefined): number {
  const onLimit = spec.at === 'limit' && limit ? point.values[limit] : undefined;
  return typeof onLimit === 'number' ? onLimit : (point.values[line] ?? 0);
}
