import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resolveLowerDirs, rootOverlayFromMountInfo } from '../../../src/core/docker/overlay';
import { FIX, rawContainer } from './fixtures';

describe('docker live overlay root', () => {
  it('reads lowerdir/upperdir/workdir of the recorded container root mount', () => {
    const o = rootOverlayFromMountInfo(readFileSync(path.join(FIX, 'mountinfo-web.txt'), 'utf8'));
    assert.ok(o);
    assert.equal(o.fsType, 'overlay');
    assert.deepEqual(o.lowerdirs, ['/var/lib/docker/overlay2/l/CN2KUXPFP555WPLNJBLHVOUGBK', '/var/lib/docker/overlay2/l/PBTR3HTD4ICQCIV6TJHXLOCA37']);
    // The live mount and the API agree on the container's own layer.
    assert.equal(o.upperdir, rawContainer('web').GraphDriver.Data.UpperDir);
    assert.equal(o.workdir, rawContainer('web').GraphDriver.Data.WorkDir);
  });

  it('resolves the short l/ links to the dirs the API reports', async () => {
    const o = rootOverlayFromMountInfo(readFileSync(path.join(FIX, 'mountinfo-web.txt'), 'utf8'));
    const resolved = await resolveLowerDirs(path.join(FIX, 'tree/rootfs'), o!.lowerdirs);
    assert.deepEqual(resolved, rawContainer('web').GraphDriver.Data.LowerDir.split(':'));
    // A dir that is not a link stays as it is.
    assert.deepEqual(await resolveLowerDirs(path.join(FIX, 'tree/rootfs'), ['/nope/dir']), ['/nope/dir']);
  });

  it('takes the last of stacked root mounts, and ignores non-overlay roots', () => {
    const stacked = [
      '20 1 8:1 / / rw - ext4 /dev/sda1 rw',
      '72 20 0:39 / / rw - overlay overlay rw,lowerdir=/a:/b,upperdir=/u,workdir=/w',
    ].join('\n');
    assert.deepEqual(rootOverlayFromMountInfo(stacked)?.lowerdirs, ['/a', '/b']);
    assert.equal(rootOverlayFromMountInfo('20 1 8:1 / / rw - ext4 /dev/sda1 rw\n'), undefined);
    assert.equal(rootOverlayFromMountInfo(''), undefined);
    assert.equal(rootOverlayFromMountInfo('garbage line\n72 20'), undefined);
  });
});
