// One test file's counts for a tally category: each case is counted once, as survived or failed,
// and a failed case keeps its description for the failure message.
import { add, type Category } from '../tally';

export class CaseCounter {
  readonly fig = { tried: 0, failed: 0, survived: 0 };
  readonly notes: Record<string, number | string> = {};
  readonly failures: string[] = [];

  count(ok: boolean, what: string): void {
    this.fig.tried++;
    if (ok) this.fig.survived++;
    else {
      this.fig.failed++;
      this.failures.push(what);
    }
  }

  /** Add the counts to the category's figures and print what failed. */
  flush(c: Category): void {
    add(c, { ...this.fig, extra: this.notes });
    if (this.failures.length) console.log(`      ${c} failures:\n        ${this.failures.join('\n        ')}`);
  }
}
