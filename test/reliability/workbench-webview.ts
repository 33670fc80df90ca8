// The webview side of the browser reliability tests: which VirtLab panels exist and how to reach
// them, and a way to post messages from inside a panel's own page. Adding a panel is one entry
// in PANELS.
import type { Frame, Page } from 'playwright-core';
import { openQuickPick, runPaletteCommand, webviewFrame } from '../e2e/workbench';

export interface PanelUnderTest {
  name: string;
  /** Palette title that opens it. */
  open: string;
  /** For a command that asks which one (a quick pick): the row to take. */
  pick?: string;
  /** True in the panel's own (innermost) webview frame (evaluated in the page). */
  is: () => boolean;
  /** The log line the host writes for each message it refuses. */
  refused: RegExp;
  /** A message in the protocol that the host answers, and how to recognise the answer (positive control). */
  control?: { message: (nodeId: string) => unknown; answered: (fromHost: unknown[]) => boolean };
}

const CONTROL_REQUEST = 424242;

export const PANELS: PanelUnderTest[] = [
  {
    name: 'topology',
    open: 'VirtLab: Open Topology',
    is: () => !!document.getElementById('graph') && 'virtlabTopology' in window,
    refused: /topology: refused a message that is not in the protocol/,
    control: {
      message: (nodeId) => ({ type: 'runCommand', requestId: CONTROL_REQUEST, command: 'virtlab.revealInTree', nodeId }),
      answered: (m) => m.some((x) => (x as { type?: string; requestId?: number; ok?: boolean }).type === 'reply' && (x as { requestId: number }).requestId === CONTROL_REQUEST && (x as { ok: boolean }).ok === true),
    },
  },
  {
    name: 'guide',
    open: 'VirtLab: Open Guided Lab…',
    pick: '1. PID namespaces',
    is: () => (document.querySelector('h1.title')?.textContent ?? '').startsWith('Guided lab 1:') && document.querySelectorAll('li.step').length > 0,
    refused: /guide [a-z0-9-]+: refused a message/,
    // Check the first step: read-only, answered with a verdict whatever the machine holds.
    control: {
      message: () => ({ type: 'check', stepId: 'run' }),
      answered: (m) => m.some((x) => (x as { type?: string; stepId?: string }).type === 'verdict' && (x as { stepId: string }).stepId === 'run'),
    },
  },
];

/** Opens a panel from the palette and returns its frame, with host->webview messages recorded in `__vlr9bIn`. */
export async function openPanel(page: Page, p: PanelUnderTest): Promise<Frame> {
  if (p.pick) await (await openQuickPick(page, p.open, p.open, p.pick)).input.press('Enter');
  else await runPaletteCommand(page, p.open);
  const f = await webviewFrame(page, p.name, p.is);
  await f.evaluate(() => {
    const w = window as unknown as { __vlr9bIn?: unknown[]; __vlr9bCsp?: string[] };
    if (w.__vlr9bIn) return;
    w.__vlr9bIn = [];
    w.__vlr9bCsp = [];
    window.addEventListener('message', (e) => w.__vlr9bIn!.push(e.data));
    document.addEventListener('securitypolicyviolation', (e) => w.__vlr9bCsp!.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return f;
}

/**
 * One message as the page makes it: a plain value (Playwright carries undefined, NaN, Infinity),
 * JSON text parsed in the page (own `__proto__` keys survive only that way), or nesting built there.
 */
export type Made = { value: unknown } | { json: string } | { nested: number; type: string };

/**
 * Posts from inside the panel's page, the way its own api object does. VS Code's webview host
 * (pre/index.html) gives the page `acquireVsCodeApi`, whose postMessage calls
 * `__vscode_post_message__('onmessage', { message, transfer })` on the host frame; the host relays
 * that over its MessagePort to the workbench and on to the extension host. The page may acquire
 * the api once (the panel did) and its `window.parent` is overwritten, so the page script finds its
 * host frame from `top` (same origin in code-server) and calls that same function. No eval in the
 * page: its CSP forbids it, rightly.
 */
export function postFromPage(f: Frame, m: Made): Promise<void> {
  return f.evaluate((made) => {
    type Host = Window & { __vscode_post_message__?: (channel: string, data: unknown) => void };
    // Breadth-first from the top window (no named helpers here: the bundler would wrap them).
    let host: Host | undefined;
    const queue: Window[] = [window.top!];
    while (queue.length && !host) {
      const w = queue.shift()!;
      for (let i = 0; i < w.length; i++) {
        if (w[i] === window) host = w as Host;
        else queue.push(w[i]!);
      }
    }
    if (!host?.__vscode_post_message__) throw new Error('the webview host frame was not found from the page');
    let msg: unknown;
    if ('json' in made) msg = JSON.parse(made.json);
    else if ('nested' in made) {
      let inner: unknown = 'bottom';
      for (let i = 0; i < made.nested; i++) inner = { a: inner };
      msg = { type: made.type, nodeId: inner };
    } else msg = made.value;
    host.__vscode_post_message__('onmessage', { message: msg, transfer: undefined });
  }, m);
}

export const fromHost = (f: Frame) => f.evaluate(() => (window as unknown as { __vlr9bIn: unknown[] }).__vlr9bIn);
