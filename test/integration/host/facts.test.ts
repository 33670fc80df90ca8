import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { readHostFacts } from '../../../src/core/host/facts';
import type { HostFact } from '../../../src/core/host/types';

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', timeout: 20000 }).trim();
}

describe('host facts on this machine, against independent sources', function () {
  this.timeout(30000);
  let facts: HostFact[];
  before(async () => {
    facts = (await readHostFacts(scanOptions())).facts;
  });
  const get = (key: string) => {
    const f = facts.find((x) => x.key === key);
    assert.ok(f, key);
    return f;
  };

  it('kernel equals uname -r', () => {
    assert.equal(get('kernel').value, sh('uname', ['-r']));
  });

  it('the guest verdict follows the hypervisor flag in /proc/cpuinfo', () => {
    const hasFlag = /^flags\s*:.*\bhypervisor\b/m.test(readFileSync('/proc/cpuinfo', 'utf8'));
    assert.equal(get('guest.vm').value.startsWith('yes'), hasFlag || get('guest.vm').source.includes('systemd-detect-virt'));
    if (hasFlag) assert.match(get('guest.vm').source, /hypervisor/);
  });

  it('the VM technology agrees with systemd-detect-virt --vm', () => {
    const r = (() => {
      try {
        return sh('systemd-detect-virt', ['--vm']);
      } catch (e) {
        return String((e as { stdout?: string }).stdout ?? '').trim();
      }
    })();
    if (r && r !== 'none') assert.equal(get('guest.vm').value, `yes (${r})`);
    else assert.equal(get('guest.vm').value, 'no (bare metal)');
  });

  it('vmx/svm verdict equals the flags in /proc/cpuinfo', () => {
    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1] ?? '';
    const expected = /\bvmx\b/.test(flags) ? 'Intel VT-x (vmx)' : /\bsvm\b/.test(flags) ? 'AMD-V (svm)' : 'vmx/svm not exposed';
    assert.equal(get('cpu.virt').value, expected);
  });

  it('cgroup layout agrees with docker info and with stat -f /sys/fs/cgroup', () => {
    const fsType = sh('stat', ['-f', '-c', '%T', '/sys/fs/cgroup']);
    const layout = get('cgroup.layout').value;
    if (fsType === 'cgroup2fs') assert.match(layout, /^v2/);
    else assert.match(layout, /^(hybrid|v1)/);
    const dockerCgroup = sh('docker', ['info', '--format', '{{.CgroupVersion}}']);
    assert.equal(dockerCgroup, layout.startsWith('v2') ? '2' : '1');
    assert.match(get('tool.docker').value, new RegExp(`cgroup v${dockerCgroup}\\)`));
  });

  it('docker version equals docker version --format', () => {
    const v = sh('docker', ['version', '--format', '{{.Server.Version}}']);
    assert.ok(get('tool.docker').value.startsWith(v), `${get('tool.docker').value} starts with ${v}`);
  });

  it('memory total equals MemTotal in /proc/meminfo', () => {
    const kib = Number(readFileSync('/proc/meminfo', 'utf8').match(/^MemTotal:\s+(\d+) kB/m)?.[1]);
    assert.ok(kib > 0);
    assert.equal(get('memory').value.split(' total')[0], `${((kib * 1024) / 1024 ** 3).toFixed(1)} GiB`);
  });

  it('tools found equal what command -v finds', () => {
    for (const [key, bin] of [['tool.ovs', 'ovs-vsctl'], ['tool.qemu', 'qemu-system-x86_64'], ['tool.ip', 'ip'], ['tool.mn', 'mn'], ['tool.virsh', 'virsh'], ['tool.lsns', 'lsns']]) {
      let found = true;
      try {
        execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
      } catch {
        found = false;
      }
      assert.equal(get(key).status !== 'missing', found, `${key} presence`);
    }
  });
});
