// The one protocol between a lab guide panel (src/extension/guides) and its webview (webview/guide).
// Both sides import it, so it stays free of `vscode` and Node imports. Every message that crosses
// the boundary is checked by a guard below before anything acts on it. The webview is untrusted:
// it can only name a step and a command by index, never send command text, so a compromised page
// cannot make the host type anything into a terminal that the shipped guide does not hold.

import { hasOnly, isObj, isStr } from '../core/sys/json';

export const GUIDE_VIEW_TYPE = 'virtlab.guide';

/** One command of a step: `text` is exactly what Run types (shown as is); `source` is the line as the guide wrote it, to find its place in the step's ```sh blocks. */
export interface WireCommand {
  text: string;
  source: string;
}

/** One step as the webview renders it. */
export interface WireStep {
  id: string;
  title: string;
  markdown: string;
  commands: WireCommand[];
  hasCheck: boolean;
}

export interface WireLab {
  id: string;
  number: number;
  title: string;
  summary: string;
  /** Markdown shown above the first step. */
  intro?: string;
  /** What a leading `virtlab` in a command stands for here (`node <extension>/dist/cli.js`). */
  cli: string;
  /** What `{labs}` in a command stands for here (the guided labs' folder in the installed extension). */
  labs: string;
  steps: WireStep[];
}

/** The last verdict shown under a step (kept by the host so a re-opened panel shows it again). */
export interface WireVerdict {
  ok: boolean;
  detail: string;
  /** Only after a failed check. */
  hint?: string;
  simulated?: boolean;
}

/** One problem with a shipped guide file: which file (and line), and what is wrong. */
export interface WireProblem {
  file: string;
  line?: number;
  message: string;
}

/** Buttons of the error state: read the guides again, open VirtLab in the Extensions view, copy a report, show the log. */
export const ERROR_ACTIONS = ['retry', 'reinstall', 'copyDetails', 'showLog'] as const;
export type ErrorAction = (typeof ERROR_ACTIONS)[number];

// ---- host -> webview -------------------------------------------------------------------------

export type GuideHostMessage =
  /** The lab's content and which steps are done; sent after every `ready`. */
  | { type: 'lab'; lab: WireLab; done: string[]; verdicts: Record<string, WireVerdict> }
  | { type: 'progress'; done: string[] }
  /** A check or reset started (`busy: true`) or ended. */
  | { type: 'busy'; what: 'check' | 'reset'; stepId?: string; busy: boolean }
  | { type: 'verdict'; stepId: string; verdict: WireVerdict }
  | { type: 'resetDone'; removed: string[]; left: { object: string; error: string }[] }
  | { type: 'notice'; text: string }
  /**
   * The guide could not be loaded from the installed extension (a file missing or damaged): the
   * page shows this instead of the lab. `labId` is saved so a reload asks for the same lab;
   * `number`/`title` when known; `extensionDir` is where the damaged install lives.
   */
  | { type: 'loadError'; labId: string; number?: number; title?: string; problems: WireProblem[]; extensionDir: string };

// ---- webview -> host -------------------------------------------------------------------------

export type GuideWebviewMessage =
  | { type: 'ready' }
  /** Command #index of step `stepId` to the guide terminal; `enter: false` pastes it for editing. */
  | { type: 'runCommand'; stepId: string; index: number; enter: boolean }
  | { type: 'check'; stepId: string }
  /** A step without a check, marked as read. */
  | { type: 'markDone'; stepId: string }
  | { type: 'reset' }
  /** A button of the error state. */
  | { type: 'errorAction'; action: ErrorAction };

/** What the webview saves with setState; the panel serializer reads it back after a reload. */
export interface GuideWebviewState {
  labId: string;
}

// ---- guards ----------------------------------------------------------------------------------

/** Lab and step ids as the guides name them: `pid-namespaces`, `run-container`. */
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** No step has anywhere near this many commands; a bound keeps the guard total. */
export const MAX_COMMANDS = 100;

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const allOf = <T>(v: unknown, f: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.every(f);

export function isGuideId(v: unknown): v is string {
  return isStr(v) && ID_RE.test(v);
}

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < MAX_COMMANDS;

/** Accepts exactly the messages a guide webview may send; extra fields or wrong types are refused. */
export function isGuideWebviewMessage(v: unknown): v is GuideWebviewMessage {
  if (!isObj(v) || !isStr(v.type)) return false;
  switch (v.type) {
    case 'ready':
    case 'reset':
      return hasOnly(v, ['type']);
    case 'runCommand':
      return hasOnly(v, ['type', 'stepId', 'index', 'enter']) && isGuideId(v.stepId) && isIndex(v.index) && isBool(v.enter);
    case 'check':
    case 'markDone':
      return hasOnly(v, ['type', 'stepId']) && isGuideId(v.stepId);
    case 'errorAction':
      return hasOnly(v, ['type', 'action']) && (ERROR_ACTIONS as readonly unknown[]).includes(v.action);
    default:
      return false;
  }
}

/** The saved webview state, checked like any input (it may come from an older version). */
export function isGuideWebviewState(v: unknown): v is GuideWebviewState {
  return isObj(v) && isGuideId(v.labId);
}

const isWireCommand = (v: unknown): v is WireCommand => isObj(v) && isStr(v.text) && isStr(v.source);

function isWireStep(v: unknown): v is WireStep {
  return isObj(v) && isGuideId(v.id) && isStr(v.title) && isStr(v.markdown) && allOf(v.commands, isWireCommand) && isBool(v.hasCheck);
}

function isWireLab(v: unknown): v is WireLab {
  return isObj(v) && isGuideId(v.id) && Number.isSafeInteger(v.number) && isStr(v.title) && isStr(v.summary) && isStr(v.cli) && isStr(v.labs) && (v.intro === undefined || isStr(v.intro)) && allOf(v.steps, isWireStep);
}

function isVerdict(v: unknown): v is WireVerdict {
  return isObj(v) && isBool(v.ok) && isStr(v.detail) && (v.hint === undefined || isStr(v.hint)) && (v.simulated === undefined || isBool(v.simulated));
}

const isLeft = (v: unknown): v is { object: string; error: string } => isObj(v) && isStr(v.object) && isStr(v.error);

const isProblem = (v: unknown): v is WireProblem => isObj(v) && isStr(v.file) && isStr(v.message) && (v.line === undefined || (Number.isSafeInteger(v.line) && (v.line as number) > 0));

/** Accepts exactly the messages the host sends; the webview drops anything else. */
export function isGuideHostMessage(v: unknown): v is GuideHostMessage {
  if (!isObj(v) || !isStr(v.type)) return false;
  switch (v.type) {
    case 'lab':
      return isWireLab(v.lab) && allOf(v.done, isGuideId) && isObj(v.verdicts) && Object.entries(v.verdicts).every(([k, x]) => isGuideId(k) && isVerdict(x));
    case 'progress':
      return allOf(v.done, isGuideId);
    case 'busy':
      return (v.what === 'check' || v.what === 'reset') && isBool(v.busy) && (v.stepId === undefined || isGuideId(v.stepId));
    case 'verdict':
      return isGuideId(v.stepId) && isVerdict(v.verdict);
    case 'resetDone':
      return allOf(v.removed, isStr) && allOf(v.left, isLeft);
    case 'notice':
      return isStr(v.text);
    case 'loadError':
      return (
        isGuideId(v.labId) &&
        (v.number === undefined || Number.isSafeInteger(v.number)) &&
        (v.title === undefined || isStr(v.title)) &&
        allOf(v.problems, isProblem) &&
        isStr(v.extensionDir)
      );
    default:
      return false;
  }
}
