import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { scanOptions } from '../../../src/core/context';
import { readNetnsMany } from '../../../src/core/net/batch';
import { readNetns, type NetnsTarget } from '../../../src/core/net/netns';

// The batch reader (one `find` running nsenter+ip per namespace) must say exactly what the
// one-namespace reader says, for good, vanished and re-used entries alike.
const x = (file: string, ...args: string[]) => execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const NS = ['vltb0', 'vltb1', 'vltb2', 'vltb3', 'vltb4'];
const cleanup = () => {
  for (const ns of NS) {
    try {
      x('ip', 'netns', 'del', ns);
    } catch {
      /* not there */
    }
  }
};
// Counters move between two reads; everything else must match.
const strip = (v: unknown) => JSON.parse(JSON.stringify(v, (k, val) => (k === 'stats' || k === 'stats64' ? undefined : val)));

describe('net batch reader on the real machine', function () {
  this.timeout(60000);
  const targets: NetnsTarget[] = [];

  before(() => {
    cleanup();
    for (const ns of NS) x('ip', 'netns', 'add', ns);
    x('ip', '-n', 'vltb0', 'link', 'add', 'vltb0a', 'type', 'veth', 'peer', 'name', 'vltb1a', 'netns', 'vltb1');
    x('ip', '-n', 'vltb2', 'link', 'add', 'vltbbr', 'type', 'bridge');
    x('ip', '-n', 'vltb2', 'addr', 'add', '10.98.0.1/24', 'dev', 'vltbbr');
    for (const ns of NS.slice(0, 4)) targets.push({ inode: statSync(`/run/netns/${ns}`).ino, nsfsPath: `/run/netns/${ns}` });
    // A path that now holds another namespace than the one the scan knew, and one that is gone.
    targets.push({ inode: 1, nsfsPath: '/run/netns/vltb4' });
    targets.push({ inode: 2, nsfsPath: '/run/netns/vltb-gone', pid: 999999999 });
  });
  after(cleanup);

  it('gives the same reads and errors as reading each namespace alone', async () => {
    const opts = scanOptions();
    const many = await readNetnsMany(opts, targets, 4);
    const one = [];
    for (const t of targets) one.push(await readNetns(opts, t));
    assert.deepEqual(strip(many), strip(one));
    const ok = many.filter((r) => !('error' in r));
    assert.equal(ok.length, 4);
    const names = (i: number) => ('links' in many[i]! ? many[i]!.links.map((l) => l.name).sort() : []);
    assert.deepEqual(names(0), ['lo', 'vltb0a']);
    assert.deepEqual(names(1), ['lo', 'vltb1a']);
    // The bridge namespace also had its fdb read (a second tool run, outside the batch).
    assert.deepEqual(names(2), ['lo', 'vltbbr']);
    assert.ok('via' in many[2]! && many[2].via === '/run/netns/vltb2');
    assert.equal((many[4] as { code?: string }).code, 'ENOENT');
    assert.equal((many[5] as { code?: string }).code, 'ENOENT');
  });
});
