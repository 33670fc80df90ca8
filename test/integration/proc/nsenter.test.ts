// Issue 13 item 1 on the real machine: nsenter with the planned arguments enters a plain docker
// container (its user, cgroup and time namespaces are the host's) and runs a shell there; the old
// plan (all eight flags) is refused by the kernel, and that refusal reads as a sentence.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { chooseNamespaces, nsenterFailure, nsenterPlan, ownNamespaces, targetNamespaces } from '../../../src/core/actions/nsenter';
import { NS_TYPES } from '../../../src/core/proc/namespaces';

const NAME = `vlm-int-${process.pid}`;
const docker = (...a: string[]) => execFileSync('docker', a, { encoding: 'utf8', timeout: 60_000 }).trim();
const rm = () => spawnSync('docker', ['rm', '-f', NAME], { stdio: 'ignore' });

describe('nsenter with the planned namespaces on a real container', function () {
  this.timeout(60_000);
  let pid: number;
  before(function () {
    rm();
    docker('run', '-d', '--name', NAME, '--label', 'virtlab.test=1', 'virtlab/busybox:latest', 'sleep', '300');
    pid = Number(docker('inspect', '-f', '{{.State.Pid}}', NAME));
  });
  after(rm);

  it('skips the namespaces this process already is in, and the planned nsenter runs a shell inside the container', () => {
    const choice = chooseNamespaces(NS_TYPES, targetNamespaces(pid), ownNamespaces());
    // Expected from readlink, not from VirtLab: a type is skipped exactly when the inodes agree.
    const same = NS_TYPES.filter((t) => fs.readlinkSync(`/proc/${pid}/ns/${t}`) === fs.readlinkSync(`/proc/self/ns/${t}`));
    assert.deepEqual(choice.skipped.map((s) => s.type), same);
    assert.ok(same.includes('user'), 'a plain docker run shares the host user namespace');
    assert.ok(choice.enter.includes('net') && choice.enter.includes('mnt'));
    const plan = nsenterPlan(pid, choice.enter, '/bin/sh', NAME, true);
    const r = spawnSync(plan.file, [...plan.args, '-c', 'hostname; readlink /proc/self/ns/net'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 0, r.stderr);
    const [host, net] = r.stdout.trim().split('\n');
    assert.equal(host, docker('inspect', '-f', '{{.Config.Hostname}}', NAME));
    assert.equal(net, fs.readlinkSync(`/proc/${pid}/ns/net`));
  });

  it('the old plan (all eight, user included) is refused, and the refusal reads as a sentence', () => {
    const plan = nsenterPlan(pid, NS_TYPES, '/bin/sh', NAME, true);
    const r = spawnSync(plan.file, [...plan.args, '-c', ':'], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /reassociate to namespace 'ns\/user' failed: Invalid argument/);
    assert.equal(nsenterFailure(NAME, pid, r.stderr, r.status), `Could not enter the user namespace of ${NAME} (PID ${pid}): the kernel refused it (Invalid argument). A process cannot re-enter the user namespace it is already in: leave user unticked.`);
  });
});
