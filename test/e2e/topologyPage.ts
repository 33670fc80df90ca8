// The topology webview as the e2e tests see it: the frame that holds it, what it has drawn (its
// read-only `virtlabTopology` handle), and waits on both. Shared by the topology test files.
import type { Frame, Page } from 'playwright-core';
import { SLOW_MS, startCodeServer, webviewFrame, type Profile, type Server } from './workbench';

export interface Drawn {
  nodes: { id: string; label: string; kind: string; parent: string | null; isParent: boolean; visible: boolean; classes: string[] }[];
  edges: { id: string; kind: string; source: string; target: string }[];
}

interface Handle {
  virtlabTopology: { drawn(): Drawn; renderedPosition(id: string): { x: number; y: number }; keyFocus(): string | null };
}

/** The innermost webview frame that holds the topology page. */
export function topologyFrame(page: Page): Promise<Frame> {
  return webviewFrame(page, 'the topology', () => !!document.getElementById('graph') && 'virtlabTopology' in window);
}

export const drawn = (f: Frame): Promise<Drawn> => f.evaluate(() => (window as unknown as Handle).virtlabTopology.drawn());

export async function waitDrawn(f: Frame, ok: (d: Drawn) => boolean, what: string): Promise<Drawn> {
  const deadline = Date.now() + SLOW_MS;
  for (;;) {
    const d = await drawn(f);
    if (ok(d)) return d;
    if (Date.now() > deadline) throw new Error(`topology never showed ${what}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Where Cytoscape drew a node, in the graph element's pixels. */
export const renderedPosition = (f: Frame, id: string): Promise<{ x: number; y: number }> =>
  f.evaluate((nodeId) => (window as unknown as Handle).virtlabTopology.renderedPosition(nodeId), id);

/** The node the keyboard focus ring is on (null: none). Older builds have no such handle: undefined. */
export const keyFocus = (f: Frame): Promise<string | null | undefined> =>
  f.evaluate(() => (window as unknown as { virtlabTopology: Partial<Handle['virtlabTopology']> }).virtlabTopology.keyFocus?.());

/** Press Tab (at most `max` times) until the graph has the keyboard focus; false when it never does. */
export async function tabToGraph(page: Page, f: Frame, max = 20): Promise<boolean> {
  for (let i = 0; i < max; i++) {
    if (await f.evaluate(() => document.activeElement?.id === 'graph').catch(() => false)) return true;
    await page.keyboard.press('Tab');
  }
  return f.evaluate(() => document.activeElement?.id === 'graph').catch(() => false);
}

/** code-server started with `env` set in this process meanwhile (the extension host inherits it), then restored. */
export async function startCodeServerWith(profile: Profile, env: Record<string, string>): Promise<Server> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await startCodeServer(profile);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
