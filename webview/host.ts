// The VS Code webview API, typed: messages out are the protocol's WebviewMessage; the saved state
// is what a reload (or the panel serializer after a restart) brings back.
import type { WebviewMessage } from '../src/shared/protocol';
import { DEFAULT_LAYERS, type Layers } from './elements';
import type { Point } from './pack';

export interface TopologyState {
  layers: Layers;
  positions: Record<string, Point>;
  selected: string | null;
  focused: string | null;
  search: string;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(msg: WebviewMessage): void {
  api.postMessage(msg);
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The saved state, checked like any input (it may come from an older version). */
export function loadState(): TopologyState {
  const s = api.getState();
  const out: TopologyState = { layers: { ...DEFAULT_LAYERS }, positions: {}, selected: null, focused: null, search: '' };
  if (!isObj(s)) return out;
  if (isObj(s.layers)) for (const k of Object.keys(out.layers) as (keyof Layers)[]) if (typeof s.layers[k] === 'boolean') out.layers[k] = s.layers[k] as boolean;
  if (isObj(s.positions)) {
    for (const [id, p] of Object.entries(s.positions)) if (isObj(p) && Number.isFinite(p.x) && Number.isFinite(p.y)) out.positions[id] = { x: p.x as number, y: p.y as number };
  }
  if (typeof s.selected === 'string') out.selected = s.selected;
  if (typeof s.focused === 'string') out.focused = s.focused;
  if (typeof s.search === 'string') out.search = s.search;
  return out;
}

export function saveState(s: TopologyState): void {
  api.setState(s);
}
