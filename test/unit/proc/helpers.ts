import path from 'node:path';
import { realProcFs, type ProcFs } from '../../../src/core/proc/procfs';

/** The recorded proc tree most proc tests read. */
export const PROC = path.join(__dirname, '../../fixtures/proc/basic');

/** A ProcFs that fails with `code` for paths matching `re`, as the kernel would for other users' processes. */
export function failing(re: RegExp, code: string, ops: Array<keyof ProcFs> = ['readlinkSync']): ProcFs {
  const fail = (p: string): void => {
    if (re.test(p)) throw Object.assign(new Error(`${code}: ${p}`), { code });
  };
  return {
    readFileSync: (p) => (ops.includes('readFileSync') && fail(p), realProcFs.readFileSync(p)),
    readlinkSync: (p) => (ops.includes('readlinkSync') && fail(p), realProcFs.readlinkSync(p)),
    readdirSync: (p) => (ops.includes('readdirSync') && fail(p), realProcFs.readdirSync(p)),
    readFile: async (p) => (ops.includes('readFile') && fail(p), realProcFs.readFile(p)),
  };
}
