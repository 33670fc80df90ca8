import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

const CLI = path.join(__dirname, '../../../dist/cli.js');
const NAME = `vlt-cliwatch-${process.pid}`;

describe('virtlab snapshot --watch (built CLI)', function () {
  this.timeout(90000);
  let child: ChildProcessWithoutNullStreams | undefined;
  after(() => {
    child?.kill('SIGKILL');
    try {
      execFileSync('docker', ['rm', '-f', NAME], { stdio: 'ignore' });
    } catch {
      /* gone */
    }
  });

  it('prints the first snapshot, then a diff with a container started while it runs', async () => {
    child = spawn(process.execPath, [CLI, 'snapshot', '--watch', '--interval', '0']);
    const lines = createInterface({ input: child.stdout });
    const seen: Record<string, unknown>[] = [];
    let id = '';
    const found = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diff with the container; got ${seen.map((l) => l.type).join(',')}`)), 60000);
      lines.on('line', (l) => {
        const v = JSON.parse(l) as Record<string, unknown>;
        seen.push(v);
        if (v.type === 'snapshot' && !id) id = execFileSync('docker', ['run', '-d', '--name', NAME, '--label', 'virtlab.test=1', 'virtlab/busybox:latest', 'sleep', '600'], { encoding: 'utf8' }).trim();
        // The node may first arrive from the list alone (props.complete false, pid 0) while dockerd
        // still holds the container's lock; a later diff completes it. Wait for the pid.
        const nodes = v.type === 'diff' ? [...(v.addedNodes as { id: string; props: { pid?: number } }[]), ...(v.changedNodes as { id: string; props: { pid?: number } }[])] : [];
        if (id && nodes.some((n) => n.id === `container:${id}` && (n.props.pid ?? 0) > 0)) {
          clearTimeout(timer);
          resolve(v);
        }
      });
    });
    const diff = await found;
    const first = seen.findIndex((l) => l.type === 'snapshot');
    assert.ok(first >= 0 && first < seen.indexOf(diff), 'the snapshot line comes before the diff');
    assert.equal((seen[first] as { version?: number }).version, 1);
    assert.equal(diff.reason, 'docker-event');
    const added = seen.find((l) => l.type === 'diff' && (l.addedNodes as { id: string }[]).some((n) => n.id === `container:${id}`));
    assert.ok(added, 'the container first appears in addedNodes');
    const node = [...(diff.addedNodes as { id: string; props: { name: string; pid: number } }[]), ...(diff.changedNodes as { id: string; props: { name: string; pid: number } }[])].find((n) => n.id === `container:${id}`)!;
    assert.equal(node.props.name, NAME);
    assert.equal(node.props.pid, Number(execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', id], { encoding: 'utf8' }).trim()));
  });

  it('rejects a bad --interval with exit code 2', () => {
    try {
      execFileSync(process.execPath, [CLI, 'snapshot', '--watch', '--interval', 'often'], { stdio: 'pipe' });
      assert.fail('should exit 2');
    } catch (e) {
      assert.equal((e as { status?: number }).status, 2);
    }
  });
});
