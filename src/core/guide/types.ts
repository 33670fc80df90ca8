// Guided labs: the contract between the core (lab content, live checks, reset) and the
// VS Code adapter (guide panel, terminal, progress). Pure data; never imports `vscode`.
import type { ScanOptions } from '../context';
import type { Snapshot } from '../model/graph';

/** One command a step offers: shown as text, sent to the integrated terminal when clicked. */
export interface GuideCommand {
  /** The exact text typed into the terminal (the user sees it and may edit it). */
  text: string;
}

export interface GuideStep {
  /** Stable within its lab, e.g. `run-container`; progress is kept by `${labId}/${stepId}`. */
  id: string;
  title: string;
  /** The step's prose, markdown, read from media/labs/<lab>/ (shipped in the extension). */
  markdown: string;
  /** Commands found in the step's ```sh blocks, in order. */
  commands: GuideCommand[];
  /** Shown only after this step's check failed. */
  hint: string;
  /** Steps without a check (pure reading) are completed by the user marking them done. */
  hasCheck: boolean;
}

export interface GuideLab {
  /** e.g. `pid-namespaces`; number is its place in the list (1..10). */
  id: string;
  number: number;
  title: string;
  summary: string;
  /** Markdown before the first step (the idea of the whole lab); may be empty. Added by the core. */
  intro?: string;
  steps: GuideStep[];
}

/** The verdict of one check against the live machine. */
export interface CheckResult {
  ok: boolean;
  /** What was seen, in words, with the numbers/ids the check compared (shown under the step). */
  detail: string;
  /** Set when the check ran against a recorded/simulated tree (SR-IOV without hardware). */
  simulated?: boolean;
}

/** What a check may read: the same options the views scan with, and a fresh snapshot on demand. */
export interface CheckContext {
  options: ScanOptions;
  /** A snapshot taken now (checks call this rather than trusting an older one). */
  snapshot(): Promise<Snapshot>;
  /** The extension's install folder (media/ lives there); never the workspace. */
  extensionRoot: string;
}

/** What reset removed and anything it could not remove. */
export interface ResetReport {
  removed: string[];
  left: { object: string; error: string }[];
}
