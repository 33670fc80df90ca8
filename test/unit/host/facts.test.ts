import assert from 'node:assert/strict';
import path from 'node:path';
import { scanOptions } from '../../../src/core/context';
import { detectCgroupLayout } from '../../../src/core/cgroup/layout';
import { parseCpuInfo } from '../../../src/core/host/cpu';
import { readHostFacts } from '../../../src/core/host/facts';
import { vmFromDmi } from '../../../src/core/host/guest';

const FIX = path.join(__dirname, '../../fixtures/host');

/** Scan options pointing every root into one recorded tree; tools are looked up on an empty PATH. */
function fixture(name: string) {
  const base = path.join(FIX, name);
  return scanOptions({
    roots: { proc: `${base}/proc`, sys: `${base}/sys`, etc: `${base}/etc`, dev: `${base}/dev`, run: `${base}/run`, rootfs: `${base}/rootfs` },
    dockerSocket: `${base}/run/docker.sock`,
    path: `${base}/no-bin`,
    timeoutMs: 1000,
  });
}

function fact(facts: { key: string; value: string }[], key: string): string {
  const f = facts.find((x) => x.key === key);
  assert.ok(f, `fact ${key} present`);
  return f.value;
}

describe('host facts on recorded trees', () => {
  it('pure cgroup v2 on bare metal with VT-x', async () => {
    const opts = fixture('v2-baremetal');
    const layout = await detectCgroupLayout(opts.roots);
    assert.equal(layout.kind, 'unified');
    assert.deepEqual(layout.mounts.map((m) => [m.version, m.mountPoint]), [[2, '/sys/fs/cgroup']]);
    assert.deepEqual(layout.mounts[0].controllers, ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc']);
    const { facts } = await readHostFacts(opts);
    assert.equal(fact(facts, 'kernel'), '6.1.0-26-amd64');
    assert.equal(fact(facts, 'distro'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(fact(facts, 'cpu.virt'), 'Intel VT-x (vmx)');
    assert.equal(fact(facts, 'kvm'), 'present, read/write');
    assert.equal(fact(facts, 'guest.vm'), 'no (bare metal)');
    assert.equal(fact(facts, 'guest.container'), 'no');
    assert.match(fact(facts, 'cgroup.layout'), /^v2/);
    assert.match(fact(facts, 'tool.docker'), /not running/);
    assert.equal(fact(facts, 'tool.ovs'), 'not installed');
  });

  it('hybrid layout in a KVM guest (DMI QEMU, hypervisor flag, AMD-V, /.dockerenv)', async () => {
    const opts = fixture('hybrid-kvm-guest');
    const layout = await detectCgroupLayout(opts.roots);
    assert.equal(layout.kind, 'hybrid');
    assert.deepEqual(layout.mounts.find((m) => m.mountPoint === '/sys/fs/cgroup/cpu,cpuacct')?.controllers, ['cpu', 'cpuacct']);
    assert.deepEqual(layout.mounts.find((m) => m.mountPoint === '/sys/fs/cgroup/systemd')?.controllers, ['name=systemd']);
    const { facts } = await readHostFacts(opts);
    assert.equal(fact(facts, 'guest.vm'), 'yes (qemu)');
    assert.equal(fact(facts, 'guest.container'), 'yes (docker)');
    assert.equal(fact(facts, 'cpu.virt'), 'AMD-V (svm)');
    assert.equal(fact(facts, 'kvm'), 'absent');
    assert.equal(fact(facts, 'distro'), 'Ubuntu 20.04.6 LTS');
  });

  it('legacy v1 layout on a Xen guest inside podman', async () => {
    const opts = fixture('legacy-xen');
    const layout = await detectCgroupLayout(opts.roots);
    assert.equal(layout.kind, 'legacy');
    assert.ok(layout.mounts.every((m) => m.version === 1));
    assert.deepEqual(layout.mounts.find((m) => m.mountPoint.endsWith('systemd'))?.controllers, ['name=systemd'], 'release_agent= is not a controller');
    const { facts } = await readHostFacts(opts);
    assert.equal(fact(facts, 'guest.vm'), 'yes (xen)');
    assert.equal(fact(facts, 'guest.container'), 'yes (podman)');
    assert.equal(fact(facts, 'cpu.virt'), 'vmx/svm not exposed');
  });

  it('truncated mountinfo and cpuinfo do not abort the scan', async () => {
    const opts = fixture('broken');
    const layout = await detectCgroupLayout(opts.roots);
    assert.equal(layout.kind, 'none');
    const { facts } = await readHostFacts(opts);
    assert.equal(fact(facts, 'kernel'), 'unknown');
    assert.equal(fact(facts, 'cgroup.layout'), 'not mounted');
    assert.match(fact(facts, 'cpu'), /unknown model, 1 logical/);
  });

  it('a missing proc root is reported, not thrown', async () => {
    const opts = fixture('does-not-exist');
    const layout = await detectCgroupLayout(opts.roots);
    assert.equal(layout.kind, 'none');
    assert.match(layout.source, /unreadable/);
  });
});

describe('cpuinfo and DMI parsing', () => {
  it('reads the hypervisor flag and counts processors', () => {
    const c = parseCpuInfo('processor\t: 0\nmodel name\t: X\nflags\t\t: fpu vmx hypervisor\n\nprocessor\t: 1\nflags\t\t: fpu vmx hypervisor\n');
    assert.deepEqual(c, { model: 'X', logicalCpus: 2, extension: 'vmx', hypervisorFlag: true });
    assert.equal(parseCpuInfo('processor\t: 0\nflags\t: fpu sse\n').hypervisorFlag, false);
    assert.equal(parseCpuInfo('').logicalCpus, 0);
  });
  it('names hypervisors from DMI strings like systemd-detect-virt', () => {
    assert.equal(vmFromDmi('QEMU', 'Standard PC (i440FX + PIIX, 1996)'), 'qemu');
    assert.equal(vmFromDmi('Microsoft Corporation', 'Virtual Machine'), 'microsoft');
    assert.equal(vmFromDmi('VMware, Inc.', 'VMware Virtual Platform'), 'vmware');
    assert.equal(vmFromDmi('innotek GmbH', 'VirtualBox'), 'oracle');
    assert.equal(vmFromDmi('Dell Inc.', 'PowerEdge R740'), undefined);
  });
});
