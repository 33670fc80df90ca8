import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pidAlive } from '../../../src/core/lab/ledger';

describe('lab ledger: pidAlive', () => {
  it('a running process is alive, a vanished pid is not', () => {
    assert.equal(pidAlive(process.pid), true);
    assert.equal(pidAlive(2 ** 22 + 1), false);
  });

  it('a zombie (killed, not yet reaped) is not alive, though kill(pid, 0) succeeds on it', async () => {
    // `sleep 0` exits at once; its parent then execs `sleep 3`, which never reaps it: a zombie until that exits.
    const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 3 >/dev/null'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const pid = Number(await new Promise<string>((resolve) => sh.stdout.once('data', (b: Buffer) => resolve(b.toString().trim()))));
      // Wait until the kernel shows it as a zombie.
      for (let i = 0; i < 100 && !/^\d+ \(sleep\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 10));
      assert.doesNotThrow(() => process.kill(pid, 0), 'the zombie still answers kill 0');
      assert.equal(pidAlive(pid), false);
    } finally {
      sh.kill('SIGKILL');
    }
  });
});
