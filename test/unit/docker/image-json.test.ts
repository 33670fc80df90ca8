import assert from 'node:assert/strict';
import { layerDirs, normaliseImageInspect, normaliseImageList } from '../../../src/core/docker/image-json';
import { loadJson } from './fixtures';

describe('docker image JSON normalisers', () => {
  const base = normaliseImageInspect(loadJson('image-busybox.json'));
  const derived = normaliseImageInspect(loadJson('image-derived.json'));

  it('reads tags, layers and overlay dirs of the recorded imported image', () => {
    const raw = loadJson('image-busybox.json') as Record<string, any>;
    assert.ok(base);
    assert.equal(base.id, raw.Id);
    assert.deepEqual(base.tags, ['virtlab/busybox:latest']);
    assert.deepEqual(base.layers, raw.RootFS.Layers);
    assert.equal(base.layers.length, 1);
    assert.equal(base.graphDriver.name, 'overlay2');
    assert.deepEqual(base.graphDriver.lowerDirs, []);
    assert.equal(base.size, raw.Size);
  });

  it('a committed image stacks one layer on the shared base layer', () => {
    assert.ok(base && derived);
    assert.equal(derived.layers.length, 2);
    assert.equal(derived.layers[0], base.layers[0]);
    assert.notEqual(derived.layers[1], base.layers[0]);
    assert.equal(derived.parent, base.id);
  });

  it('maps each layer to its directory, bottom first', () => {
    assert.ok(base && derived);
    assert.deepEqual(layerDirs(base), [base.graphDriver.upperDir]);
    const dirs = layerDirs(derived);
    // The derived image's lower dir is the base image's only layer dir.
    assert.equal(dirs[0], base.graphDriver.upperDir);
    assert.equal(dirs[1], derived.graphDriver.upperDir);
  });

  it('gives no dirs when they do not line up with the layers', () => {
    assert.ok(derived);
    const odd = { ...derived, graphDriver: { ...derived.graphDriver, lowerDirs: [] } };
    assert.deepEqual(layerDirs(odd), [null, null]);
  });

  it('normalises the recorded list and drops bad rows', () => {
    const { images, bad } = normaliseImageList(loadJson('images-list.json'));
    assert.equal(bad, 0);
    assert.deepEqual(images.map((i) => i.tags[0]).sort(), ['virtlab/busybox:latest', 'vlt-fx/derived:1']);
    const r = normaliseImageList([null, { Id: 'sha256:xyz' }, { Id: derived?.id, RepoTags: ['<none>:<none>', 5] }]);
    assert.equal(r.bad, 2);
    assert.deepEqual(r.images, [{ id: derived?.id, tags: [] }]);
  });

  it('rejects or defaults hostile inspect answers without throwing', () => {
    for (const v of [null, 'x', [], {}, { Id: 'sha256:short' }, { Id: 'b'.repeat(64) }]) assert.equal(normaliseImageInspect(v), undefined);
    const img = normaliseImageInspect({ Id: `sha256:${'c'.repeat(64)}`, RootFS: { Layers: ['sha256:nope', 3, `sha256:${'d'.repeat(64)}`] }, RepoTags: 'x', Size: '12' });
    assert.ok(img);
    assert.deepEqual(img.layers, [`sha256:${'d'.repeat(64)}`]);
    assert.deepEqual(img.tags, []);
    assert.equal(img.size, 0);
  });
});
