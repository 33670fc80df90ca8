import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineSplitter, normaliseEvent, parseEventLine } from '../../../src/core/docker/event-json';
import { FIX, rawContainer } from './fixtures';

describe('docker event JSON', () => {
  const text = readFileSync(path.join(FIX, 'events.jsonl'), 'utf8');

  it('parses every recorded event line', () => {
    const lines = text.split('\n').filter((l) => l.trim());
    const events = lines.map(parseEventLine);
    assert.equal(events.filter(Boolean).length, lines.length);
    const webId = rawContainer('web').Id;
    const start = events.find((e) => e?.type === 'container' && e.verb === 'start' && e.id === webId);
    assert.ok(start);
    assert.equal(start.attributes.name, 'vlt-fx-web');
    assert.ok(start.time > 1_600_000_000);
    const connect = events.find((e) => e?.type === 'network' && e.verb === 'connect');
    assert.equal(connect?.attributes.container, webId);
    const die = events.find((e) => e?.verb === 'die');
    assert.equal(die?.attributes.exitCode, '3');
  });

  it('splits the verb from exec/health actions', () => {
    const e = normaliseEvent({ Type: 'container', Action: 'exec_start: sh -c true', Actor: { ID: 'x', Attributes: {} } });
    assert.equal(e?.verb, 'exec_start');
    assert.equal(e?.action, 'exec_start: sh -c true');
  });

  it('accepts the old status/id shape and rejects junk', () => {
    assert.deepEqual(normaliseEvent({ status: 'die', id: 'abc', time: 5 }), { type: 'container', action: 'die', verb: 'die', id: 'abc', attributes: {}, time: 5, timeNano: 0 });
    for (const l of ['', '   ', 'not json', '[]', '{"Type":"container"}', '{"Action":5,"Type":"x"}', 'null', '{"Type":"container","Action":"start","Actor":"x"}'.slice(0, 20)]) {
      assert.equal(parseEventLine(l), undefined, l);
    }
  });

  it('reassembles events split across chunks and merged in one chunk', () => {
    const s = new LineSplitter();
    const lines = text.split('\n').filter(Boolean);
    const blob = lines.slice(0, 3).join('\n') + '\n';
    const got: string[] = [];
    for (let i = 0; i < blob.length; i += 7) got.push(...s.push(blob.slice(i, i + 7)));
    assert.deepEqual(got, lines.slice(0, 3));
    assert.deepEqual(s.push(lines[3] + '\n' + lines[4] + '\n'), [lines[3], lines[4]]);
    assert.deepEqual(s.push('{"partial'), []);
  });
});
