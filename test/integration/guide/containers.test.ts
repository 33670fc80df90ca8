import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expectOk, expectRed, guideSuite, runStep, x } from './helpers';

// Guided labs 1-4 on the real dockerd: run each step's commands, then its check must turn green;
// some checks are asked first, before their step, and must be red.

const inspect = (name: string, fmt: string) => x('docker', 'inspect', '-f', fmt, name).trim();

guideSuite('pid-namespaces', 'guided lab 1: PID namespaces (real Docker)', () => {

  it('run: red before the container exists, green after; PID 1 inside is the host PID docker inspect names', async () => {
    await expectRed('pid-namespaces', 'run');
    await runStep('pid-namespaces', 'run');
    const r = await expectOk('pid-namespaces', 'run');
    const pid = inspect('vlg-pid', '{{.State.Pid}}');
    assert.match(r.detail, new RegExp(`host knows as PID ${pid}\\b`));
    // Independent: the PID namespace link of that process differs from this test's own.
    assert.notEqual(x('readlink', `/proc/${pid}/ns/pid`).trim(), x('readlink', '/proc/self/ns/pid').trim());
  });

  it('compare: a second sleep is red until docker exec -d runs it, then shows two PIDs', async () => {
    await expectRed('pid-namespaces', 'compare');
    const out = await runStep('pid-namespaces', 'compare');
    assert.match(out, /NSpid:\s+\d+\s+1/);
    const r = await expectOk('pid-namespaces', 'compare');
    const m = /PID (\d+) inside the container, PID (\d+) on the host/.exec(r.detail);
    assert.ok(m, r.detail);
    assert.notEqual(m[1], '1');
    assert.match(readFileSync(`/proc/${m[2]}/status`, 'utf8'), new RegExp(`NSpid:\\s+${m[2]}\\s+${m[1]}\\n`));
  });
});

guideSuite('namespaces', 'guided lab 2: all eight namespaces (real Docker, nsenter)', () => {

  it('run: lists own and shared namespaces as /proc/<pid>/ns shows them', async () => {
    await runStep('namespaces', 'run');
    const r = await expectOk('namespaces', 'run');
    const pid = inspect('vlg-ns', '{{.State.Pid}}');
    const net = /net:\[(\d+)\]/.exec(x('readlink', `/proc/${pid}/ns/net`))![1];
    assert.match(r.detail, new RegExp(`own [^;]*net:\\[${net}\\]`));
  });

  it('enter-net: red until a process joins only the net namespace; then ip addr differs and ps shows the host', async () => {
    await expectRed('namespaces', 'enter-net');
    const out = await runStep('namespaces', 'enter-net');
    assert.match(out, /\blo\b/);
    assert.doesNotMatch(out.split('\n').slice(0, 6).join('\n'), /\beth0@/, 'only the container\'s interfaces');
    const r = await expectOk('namespaces', 'enter-net');
    const pid = /Process (\d+)/.exec(r.detail)![1];
    const cpid = inspect('vlg-ns', '{{.State.Pid}}');
    assert.equal(x('readlink', `/proc/${pid}/ns/net`), x('readlink', `/proc/${cpid}/ns/net`));
    assert.notEqual(x('readlink', `/proc/${pid}/ns/pid`), x('readlink', `/proc/${cpid}/ns/pid`));
  });
});

guideSuite('cgroups', 'guided lab 3: cgroups (real Docker, OOM and throttling)', () => {

  it('memory: the limit read from the cgroup file equals --memory (docker inspect)', async () => {
    await expectRed('cgroups', 'memory');
    await runStep('cgroups', 'memory');
    const r = await expectOk('cgroups', 'memory');
    assert.equal(inspect('vlg-mem', '{{.HostConfig.Memory}}'), '16777216');
    const file = /^(\S+) = 16777216 bytes/.exec(r.detail)![1];
    assert.equal(readFileSync(file, 'utf8').trim(), '16777216');
  });

  it('oom: red before the allocation, green with the OOM kill count from the cgroup file', async () => {
    await expectRed('cgroups', 'oom');
    const out = await runStep('cgroups', 'oom');
    assert.match(out, /exit code 137/);
    const r = await expectOk('cgroups', 'oom');
    const [, file, n] = /oom_kill in (\S+) is (\d+)/.exec(r.detail)!;
    assert.ok(Number(n) > 0);
    assert.match(readFileSync(file, 'utf8'), /oom_kill [1-9]/);
    assert.equal(inspect('vlg-mem', '{{.State.Status}}'), 'running');
  });

  it('cpu: quota 0.5 CPU and nr_throttled rising', async () => {
    await expectRed('cgroups', 'cpu');
    await runStep('cgroups', 'cpu');
    const r = await expectOk('cgroups', 'cpu');
    const [quota, period] = inspect('vlg-cpu', '{{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}}').split(' ');
    assert.match(r.detail, new RegExp(`quota ${quota} µs per ${period} µs period = 0.5 CPU`));
    const stat = readFileSync(/nr_throttled in (\S+)/.exec(r.detail)![1], 'utf8');
    assert.ok(Number(/nr_throttled (\d+)/.exec(stat)![1]) > 0, stat);
  });

  it('files: the commands of the reading step run', async () => {
    const out = await runStep('cgroups', 'files');
    assert.match(out, /docker/);
  });
});

guideSuite('union-fs', 'guided lab 4: union file system (real overlay2)', () => {

  it('layers: the committed image shares the base layers', async () => {
    await expectRed('union-fs', 'layers');
    await runStep('union-fs', 'layers');
    const r = await expectOk('union-fs', 'layers');
    const base = JSON.parse(inspect('virtlab/busybox:latest', '{{json .RootFS.Layers}}')) as string[];
    const mine = JSON.parse(inspect('vlg-greeting:1', '{{json .RootFS.Layers}}')) as string[];
    assert.deepEqual(mine.slice(0, base.length), base);
    assert.match(r.detail, new RegExp(`has ${mine.length} layers`));
  });

  it('upper and copy-up: the write lands in the upper directory, /etc/passwd is copied up', async () => {
    await expectRed('union-fs', 'upper');
    await runStep('union-fs', 'upper');
    await expectOk('union-fs', 'upper');
    await expectRed('union-fs', 'copy-up');
    await runStep('union-fs', 'copy-up');
    const r = await expectOk('union-fs', 'copy-up');
    const upper = inspect('vlg-ufs', '{{.GraphDriver.Data.UpperDir}}');
    assert.match(readFileSync(`${upper}/etc/passwd`, 'utf8'), /^guest:x:1000/m);
    assert.ok(r.detail.includes(upper));
  });
});
