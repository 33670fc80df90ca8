import * as fs from 'node:fs';
import * as path from 'node:path';
import { isObj } from '../../core/sys/json';
import { isGuideId, type WireVerdict } from '../../shared/guideProtocol';

// Which steps of each guided lab are done, and the last verdict under each step, kept so they
// survive window reloads and panel re-opens. The store is a JSON file in the extension's global
// storage folder, written before the host answers the page: globalState was tried first, but in a
// web workbench (code-server) it is flushed to the browser's IndexedDB lazily, and a reload right
// after a click lost the last step in an end-to-end run.

export interface LabProgress {
  done: string[];
  verdicts: Record<string, WireVerdict>;
}

type Stored = Record<string, LabProgress>;

function readVerdict(v: unknown): WireVerdict | undefined {
  if (!isObj(v) || typeof v.ok !== 'boolean' || typeof v.detail !== 'string') return undefined;
  return {
    ok: v.ok,
    detail: v.detail,
    ...(typeof v.hint === 'string' ? { hint: v.hint } : {}),
    ...(v.simulated === true ? { simulated: true } : {}),
  };
}

/** The stored value, checked like any input: it may have been written by an older version. */
function readLab(v: unknown): LabProgress {
  const out: LabProgress = { done: [], verdicts: {} };
  if (!isObj(v)) return out;
  if (Array.isArray(v.done)) out.done = [...new Set(v.done.filter(isGuideId))];
  if (isObj(v.verdicts)) {
    for (const [step, x] of Object.entries(v.verdicts)) {
      const verdict = readVerdict(x);
      if (isGuideId(step) && verdict) out.verdicts[step] = verdict;
    }
  }
  return out;
}

export class GuideProgress {
  /** `file`: e.g. `<globalStorage>/guide-progress.json`. */
  constructor(private readonly file: string) {}

  private all(): Stored {
    try {
      const v: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return isObj(v) ? (v as Stored) : {};
    } catch {
      return {};
    }
  }

  get(labId: string): LabProgress {
    return readLab(this.all()[labId]);
  }

  private async put(labId: string, p: LabProgress | undefined): Promise<void> {
    const all = { ...this.all() };
    if (p) all[labId] = p;
    else delete all[labId];
    // Synchronous and renamed into place: two quick clicks cannot interleave, a crash leaves the old file.
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(all));
    fs.renameSync(`${this.file}.tmp`, this.file);
  }

  /** A check's verdict: a pass marks the step done, a failure un-marks it (the machine changed). */
  async verdict(labId: string, stepId: string, verdict: WireVerdict): Promise<LabProgress> {
    const p = this.get(labId);
    p.verdicts[stepId] = verdict;
    p.done = verdict.ok ? [...new Set([...p.done, stepId])] : p.done.filter((s) => s !== stepId);
    await this.put(labId, p);
    return p;
  }

  /** A reading step the user marked as done. */
  async markDone(labId: string, stepId: string): Promise<LabProgress> {
    const p = this.get(labId);
    if (!p.done.includes(stepId)) p.done.push(stepId);
    await this.put(labId, p);
    return p;
  }

  async clear(labId: string): Promise<void> {
    await this.put(labId, undefined);
  }
}
