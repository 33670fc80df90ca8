import * as path from 'node:path';
import { isRoot } from '../../core/lab/privilege';
import { run, type RunResult } from '../../core/sys/exec';

// Lab commands run as a child `virtlab lab ...` (the bundled CLI): directly when the extension host
// is root, else through `sudo -n` (the one sudoers line in the README). The extension host itself
// never changes the machine and never blocks on a password prompt.

export interface LabCli {
  /** Program and arguments that run `virtlab lab ARGS...` with the needed privilege. */
  command(args: string[]): [string, string[]];
  run(args: string[], timeoutMs?: number): Promise<RunResult>;
  cliPath: string;
}

/** Node to run the CLI with: the extension host's own when it is Node (code-server), else `node` on PATH. */
function nodeBinary(): string {
  return /(^|\/)node[0-9.]*$/.test(process.execPath) ? process.execPath : 'node';
}

export function labCli(extensionPath: string): LabCli {
  const cliPath = path.join(extensionPath, 'dist', 'cli.js');
  const command = (args: string[]): [string, string[]] => (isRoot() ? [nodeBinary(), [cliPath, 'lab', ...args]] : ['sudo', ['-n', nodeBinary(), cliPath, 'lab', ...args]]);
  return {
    cliPath,
    command,
    run: (args, timeoutMs = 300000) => {
      const [f, a] = command(args);
      return run(f, a, { timeoutMs, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    },
  };
}

/** A person-readable reason from a failed CLI run (sudo refusals get the sudoers hint). */
export function failure(r: RunResult): string {
  const text = (r.stderr || r.stdout || r.error || `exit ${r.code}`).trim();
  if (/password is required|not in the sudoers|may not run/.test(text)) return `${text}\nLabs need root: see "Labs without root" in the README for the one sudoers line.`;
  return text;
}
