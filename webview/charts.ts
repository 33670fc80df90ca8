// Live charts (uPlot) for the selected node: CPU, memory with its limit, pids with its limit and IO
// for a container or cgroup; rx/tx for an interface; flow counters for an OVS bridge. The last
// WINDOW_S seconds are kept; throttling and OOM events are drawn as marked points, and the kernel's
// counter behind them (OOM kills, throttled periods) is shown under the chart's title.
import uPlot from 'uplot';
import type { MetricEvent, MetricKey, MetricPoint, MetricsKind } from '../src/shared/protocol';
import { counterText, markCount, markY, OOM_MARK, THROTTLE_MARK, type MarkSpec } from './chartMarks';
import type { Palette } from './style';
import { formatBytes } from '../src/shared/format';

export const WINDOW_S = 300;

interface SeriesSpec {
  key: MetricKey;
  label: string;
  /** A limit line (dashed). */
  limit?: boolean;
}

interface ChartSpec {
  id: string;
  title: string;
  unit: 'percent' | 'bytes' | 'count' | 'bps' | 'pps';
  series: SeriesSpec[];
  /** Which event kinds are marked on this chart, each with its counter. */
  marks?: MarkSpec[];
}

const CHARTS: Record<MetricsKind, ChartSpec[]> = {
  cgroup: [
    { id: 'cpu', title: 'CPU', unit: 'percent', series: [{ key: 'cpuPercent', label: 'CPU %' }], marks: [THROTTLE_MARK] },
    { id: 'memory', title: 'Memory', unit: 'bytes', series: [{ key: 'memoryBytes', label: 'used' }, { key: 'memoryLimitBytes', label: 'limit', limit: true }], marks: [OOM_MARK] },
    { id: 'pids', title: 'Processes', unit: 'count', series: [{ key: 'pids', label: 'pids' }, { key: 'pidsLimit', label: 'limit', limit: true }] },
    { id: 'io', title: 'Block IO', unit: 'bps', series: [{ key: 'ioReadBps', label: 'read' }, { key: 'ioWriteBps', label: 'write' }] },
  ],
  interface: [
    { id: 'bytes', title: 'Traffic', unit: 'bps', series: [{ key: 'rxBps', label: 'rx' }, { key: 'txBps', label: 'tx' }] },
    { id: 'packets', title: 'Packets', unit: 'pps', series: [{ key: 'rxPps', label: 'rx' }, { key: 'txPps', label: 'tx' }] },
  ],
  'ovs-bridge': [
    { id: 'flows', title: 'Flow counters', unit: 'pps', series: [{ key: 'flowPacketsPs', label: 'packets/s' }] },
    { id: 'flowBytes', title: 'Flow bytes', unit: 'bps', series: [{ key: 'flowBytesPs', label: 'bytes/s' }] },
    { id: 'flowCount', title: 'Flows', unit: 'count', series: [{ key: 'flowCount', label: 'flows' }] },
  ],
};

/** Human units, so 67108864 reads as "64 MiB". */
export function formatValue(v: number | null | undefined, unit: ChartSpec['unit']): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (unit === 'percent') return `${v.toFixed(1)} %`;
  if (unit === 'count') return String(Math.round(v));
  const suffix = unit === 'bps' ? '/s' : unit === 'pps' ? ' pkt/s' : '';
  if (unit === 'pps') return `${v.toFixed(v < 10 ? 1 : 0)}${suffix}`;
  return `${formatBytes(v, 1)}${suffix}`;
}

interface LiveChart {
  spec: ChartSpec;
  plot: uPlot;
  /** x (seconds) + one column per series + one per mark kind. */
  data: (number | null)[][];
  /** Per mark kind, aligned with data[0]: how many events each mark stands for (null = no mark). */
  counts: (number | null)[][];
  latest: HTMLElement;
  /** Per mark kind: the counter text under the title. */
  counters: HTMLElement[];
}

/** One mark as drawn: which chart, when (ms), at which y, and how many events it stands for. */
export interface DrawnMark {
  chart: string;
  kind: MetricEvent;
  t: number;
  y: number;
  count: number;
}

export class MetricsCharts {
  private charts: LiveChart[] = [];
  private kind: MetricsKind | undefined;
  nodeId: string | undefined;
  /** Everything the charts show, for tests and the state: key -> last value. */
  readonly last: Partial<Record<MetricKey, number | null>> = {};
  events: { t: number; kind: MetricEvent }[] = [];
  points = 0;

  /** Files the counters came from, as the host last named them (shown as tooltips). */
  private sources: Record<string, string> = {};
  /** The values of the latest point, as the chart heads show them. */
  private latestValues: MetricPoint['values'] = {};

  constructor(private readonly host: HTMLElement, private palette: Palette) {}

  /** Start charts for a node (clears the previous ones). */
  start(nodeId: string, kind: MetricsKind): void {
    this.clear();
    this.nodeId = nodeId;
    this.kind = kind;
    this.build(kind);
  }

  /** Make the DOM and the plots for a kind, empty. */
  private build(kind: MetricsKind): void {
    const width = Math.max(220, this.host.clientWidth - 8);
    for (const spec of CHARTS[kind]) {
      const box = document.createElement('div');
      box.className = 'chart';
      box.dataset.chart = spec.id;
      const head = document.createElement('div');
      head.className = 'chart-head';
      const title = document.createElement('span');
      title.textContent = spec.title;
      const latest = document.createElement('span');
      latest.className = 'chart-latest';
      latest.textContent = '…';
      head.append(title, latest);
      const marks = spec.marks ?? [];
      const counters = marks.map((m) => {
        const c = document.createElement('span');
        c.className = 'chart-counter';
        c.dataset.counter = m.event;
        return c;
      });
      const counterRow = document.createElement('div');
      counterRow.className = 'chart-counters';
      counterRow.append(...counters);
      const plotEl = document.createElement('div');
      box.append(head, ...(counters.length ? [counterRow] : []), plotEl);
      this.host.append(box);
      const colors = [this.palette.container, this.palette.bridge];
      const opts: uPlot.Options = {
        width,
        height: 130,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: true, range: (_u, min, max) => [Math.min(min ?? 0, (max ?? 0) - 60), max ?? 0] }, y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(1, (max ?? 1) * 1.1)] } },
        axes: [
          // Clock time only: the date line uPlot adds by default overlaps in a narrow side panel.
          { stroke: this.palette.muted, grid: { stroke: this.palette.border, width: 0.5 }, ticks: { stroke: this.palette.border }, space: 60, values: (_u, vals) => vals.map((v) => new Date(v * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })) },
          { stroke: this.palette.muted, grid: { stroke: this.palette.border, width: 0.5 }, size: 76, values: (_u, vals) => vals.map((v) => formatValue(v, spec.unit)) },
        ],
        series: [
          {},
          ...spec.series.map((s, i) => ({ label: s.label, stroke: s.limit ? this.palette.down : colors[i % colors.length], width: s.limit ? 1 : 1.5, dash: s.limit ? [6, 4] : undefined, spanGaps: true })),
          ...marks.map((m) => ({ label: m.event === 'oom' ? 'OOM' : 'throttled', stroke: this.palette.down, width: 0, points: { show: true, size: 9, stroke: this.palette.down, fill: this.palette.down }, paths: () => null })),
        ],
      };
      const data: (number | null)[][] = [[], ...spec.series.map(() => []), ...marks.map(() => [])];
      const plot = new uPlot(opts, data as uPlot.AlignedData, plotEl);
      this.charts.push({ spec, plot, data, counts: marks.map(() => []), latest, counters });
    }
  }

  /** Add one point; older than WINDOW_S seconds drops off. `sources`: counter -> file it was read from. */
  push(point: MetricPoint, sources: Record<string, string> = {}): void {
    const t = point.t / 1000;
    this.points++;
    Object.assign(this.sources, sources);
    // Counts are rises of the counters since the previous point, so take them before `last` moves on.
    const prev = { ...this.last };
    for (const [k, v] of Object.entries(point.values)) this.last[k as MetricKey] = v;
    for (const e of point.events) this.events.push({ t: point.t, kind: e });
    this.latestValues = point.values;
    for (const c of this.charts) {
      const marks = c.spec.marks ?? [];
      c.data[0].push(t);
      c.spec.series.forEach((s, i) => c.data[i + 1].push(point.values[s.key] ?? null));
      // A mark sits on a line of the chart at that moment (see MarkSpec.at).
      const limit = c.spec.series.find((s) => s.limit)?.key;
      marks.forEach((m, j) => {
        const n = markCount(m, prev, point);
        c.data[c.spec.series.length + 1 + j].push(n === null ? null : markY(m, point, c.spec.series[0].key, limit));
        c.counts[j].push(n);
      });
      while (c.data[0].length && (c.data[0][0] as number) < t - WINDOW_S) {
        for (const col of c.data) col.shift();
        for (const col of c.counts) col.shift();
      }
      c.plot.setData(c.data as uPlot.AlignedData);
      this.showLatest(c);
    }
  }

  private showLatest(c: LiveChart): void {
    const v = this.latestValues;
    const first = c.spec.series[0];
    const lim = c.spec.series.find((s) => s.limit);
    const limV = lim ? v[lim.key] : undefined;
    c.latest.textContent = formatValue(v[first.key], c.spec.unit) + (lim ? ` / ${limV === null ? 'no limit' : formatValue(limV, c.spec.unit)}` : '');
    (c.spec.marks ?? []).forEach((m, j) => {
      const el = c.counters[j];
      el.textContent = counterText(m, v[m.counter]);
      const marked = c.counts[j].reduce<number>((a, n) => a + (n ?? 0), 0);
      const file = this.sources[m.source];
      el.title = `${file ? `${file}, since the cgroup was made` : 'not readable here'}; marked on the chart: ${marked} in the last ${WINDOW_S / 60} min`;
    });
  }

  /** Every mark the plots hold now (read back from uPlot's data, i.e. what is drawn). */
  marks(): DrawnMark[] {
    const out: DrawnMark[] = [];
    for (const c of this.charts) {
      const xs = c.plot.data[0];
      (c.spec.marks ?? []).forEach((m, j) => {
        const ys = c.plot.data[c.spec.series.length + 1 + j];
        ys.forEach((y, i) => {
          if (typeof y === 'number') out.push({ chart: c.spec.id, kind: m.event, t: Math.round(xs[i] * 1000), y, count: c.counts[j][i] ?? 0 });
        });
      });
    }
    return out;
  }

  get activeKind(): MetricsKind | undefined {
    return this.kind;
  }

  clear(): void {
    for (const c of this.charts) c.plot.destroy();
    this.charts = [];
    this.host.replaceChildren();
    this.nodeId = undefined;
    this.kind = undefined;
    this.events = [];
    this.points = 0;
    this.sources = {};
    this.latestValues = {};
    for (const k of Object.keys(this.last)) delete this.last[k as MetricKey];
  }

  setPalette(p: Palette): void {
    this.palette = p;
    if (this.nodeId && this.kind) {
      // Colours are baked into the plots: rebuild them with the same data; what was seen stays.
      const kept = this.charts.map((c) => ({ data: c.data, counts: c.counts }));
      for (const c of this.charts) c.plot.destroy();
      this.charts = [];
      this.host.replaceChildren();
      this.build(this.kind);
      this.charts.forEach((c, i) => {
        if (kept[i]) {
          c.data.splice(0, c.data.length, ...kept[i].data);
          c.counts.splice(0, c.counts.length, ...kept[i].counts);
          c.plot.setData(c.data as uPlot.AlignedData);
          if (this.points) this.showLatest(c);
        }
      });
    }
  }
}
