import * as assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/core/model/graph';
import { diffSnapshots } from '../../../src/core/model/diff';
import { ALLOWED_COMMANDS } from '../../../src/shared/protocol';
import { toWireDiff, toWireGraph } from '../../../src/extension/topology/wire';
import { actionsFor, factRows, metricsKindOf } from '../../../webview/facts';
import { externalIdLines } from '../../../src/shared/externalIds';
import { GraphModel } from '../../../webview/model';

const ctr = {
  id: 'container:c1',
  kind: 'container' as const,
  label: 'web',
  props: {
    state: 'running',
    labels: { note: '</script><script>alert(1)</script>' },
    cgroup: { memoryLimitBytes: 67108864, files: { memoryLimitBytes: '/sys/fs/cgroup/memory/docker/c1/memory.limit_in_bytes' } },
    pids: [1, 2, 3],
  },
};

describe('topology side panel facts', () => {
  it('spreads one level of nesting and keeps the source file of each value', () => {
    const rows = factRows(ctr);
    const limit = rows.find((r) => r.key === 'cgroup.memoryLimitBytes');
    assert.deepEqual(limit, { key: 'cgroup.memoryLimitBytes', value: '67108864', source: '/sys/fs/cgroup/memory/docker/c1/memory.limit_in_bytes' });
    assert.equal(rows.find((r) => r.key === 'labels.note')?.value, '</script><script>alert(1)</script>');
    assert.equal(rows.some((r) => r.key === 'pids'), false, 'large lists are left to the tree');
  });

  it('keeps {value, file} props as value + source', () => {
    const rows = factRows({ id: 'cgroup:/x', kind: 'cgroup', label: '/x', props: { memoryUsageBytes: { value: 42, file: '/sys/fs/cgroup/x/memory.current' } } });
    assert.deepEqual(rows.find((r) => r.key === 'memoryUsageBytes'), { key: 'memoryUsageBytes', value: '42', source: '/sys/fs/cgroup/x/memory.current' });
  });

  it('shows OVS external_ids one row per key, verbatim, with the table they came from', () => {
    const hostile = '</script><img src=x onerror="alert(1)">';
    const br = { id: 'ovs-bridge:b', kind: 'ovs-bridge' as const, label: 'b', props: { name: 'b', externalIds: Object.assign(JSON.parse('{"__proto__":"p"}') as object, { owner: 'me', [hostile]: hostile }), externalIdsProblem: 'external_ids 8 pair(s) beyond the first 64 not kept' } };
    const rows = factRows(br);
    assert.deepEqual(rows.find((r) => r.key === `external_ids:${hostile}`), { key: `external_ids:${hostile}`, value: hostile, source: 'ovs-vsctl list Bridge' });
    assert.deepEqual(rows.find((r) => r.key === 'external_ids:owner'), { key: 'external_ids:owner', value: 'me', source: 'ovs-vsctl list Bridge' });
    assert.equal(rows.find((r) => r.key === 'external_ids:__proto__')?.value, 'p', 'a key named __proto__ (as JSON.parse makes it on the wire) is a row like any other');
    assert.equal(rows.find((r) => r.key === 'external_ids (not all kept)')?.value, 'external_ids 8 pair(s) beyond the first 64 not kept');
    assert.equal(rows.some((r) => r.key.startsWith('externalIds')), false, 'not also spread as a generic prop');
    // A port: its own ids, then each interface's; the interfaces row no longer repeats them.
    const iface = { name: 'vnet0', type: 'system', externalIds: { 'iface-id': 'd28a71c4', 'attached-mac': '52:54:00:44:f2:dc', n: 5 } };
    const port = { id: 'ovs-port:u', kind: 'ovs-port' as const, label: 'vnet0', props: { name: 'vnet0', externalIds: {}, interfaces: [iface] } };
    const prow = factRows(port);
    assert.deepEqual(
      prow.filter((r) => r.key.includes('external_ids')),
      [
        { key: 'Interface vnet0 external_ids:iface-id', value: 'd28a71c4', source: 'ovs-vsctl list Interface' },
        { key: 'Interface vnet0 external_ids:attached-mac', value: '52:54:00:44:f2:dc', source: 'ovs-vsctl list Interface' },
      ],
      'only string values, in order',
    );
    assert.equal(prow.find((r) => r.key === 'interfaces')?.value, JSON.stringify([{ name: 'vnet0', type: 'system' }]));
    // Other kinds keep the generic spread (a container label is not an external id).
    assert.equal(factRows({ id: 'c', kind: 'container', label: 'c', props: { externalIds: { a: 'b' } } }).find((r) => r.key === 'externalIds.a')?.value, 'b');
  });

  it('shows the OVS port and interface external_ids on the kernel interface drawn for that port', () => {
    const m = new GraphModel();
    const iface = { id: 'iface:1:7', kind: 'interface' as const, label: 'vnet0', props: { name: 'vnet0' } };
    const other = { name: 'vnet0b', externalIds: { 'iface-id': 'not-this-one' } };
    const port = { id: 'ovs-port:u', kind: 'ovs-port' as const, label: 'vnet0', props: { name: 'vnet0', externalIds: { p: 'q' }, interfaces: [{ name: 'vnet0', externalIds: { 'vm-id': '5a5db485' } }, other] } };
    m.setGraph({ takenAt: 't', sources: {}, nodes: [iface, port], edges: [{ from: 'ovs-port:u', to: 'iface:1:7', kind: 'ovs-interface' }] });
    assert.deepEqual(
      factRows(iface, m).filter((r) => r.key.includes('external_ids')),
      [
        { key: 'OVS Port external_ids:p', value: 'q', source: 'ovs-vsctl list Port' },
        { key: 'OVS Interface external_ids:vm-id', value: '5a5db485', source: 'ovs-vsctl list Interface' },
      ],
    );
    assert.equal(factRows(iface).some((r) => r.key.includes('external_ids')), false, 'without the graph there is no port to ask');
  });

  it('writes tooltip lines for external_ids with what well-known keys mean, bounded', () => {
    assert.deepEqual(externalIdLines({ 'iface-id': 'abc', x: 'y', n: 1 }, undefined, 'Interface vnet0 '), [
      'Interface vnet0 external_ids:iface-id = abc — the logical port this interface is (OpenStack Neutron port, OVN logical switch port)',
      'Interface vnet0 external_ids:x = y',
    ]);
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, 'v'.repeat(300)]));
    const lines = externalIdLines(many, 'external_ids 1 value(s) cut to 1024 characters');
    assert.equal(lines.length, 18);
    assert.equal(lines[0], `external_ids:k0 = ${'v'.repeat(200)}…`);
    assert.equal(lines[16], 'external_ids: … and 4 more (Copy as JSON shows all)');
    assert.equal(lines[17], 'external_ids 1 value(s) cut to 1024 characters');
    assert.deepEqual(externalIdLines(undefined), []);
    assert.deepEqual(externalIdLines(['a']), []);
    assert.deepEqual(externalIdLines({ constructor: 'x' }), ['external_ids:constructor = x'], 'a key named like an Object member has no meaning attached');
  });

  it('offers only allow-listed actions, fitting the node', () => {
    const kinds = ['container', 'cgroup', 'ovs-bridge', 'interface', 'process', 'vm'] as const;
    for (const k of kinds) for (const a of actionsFor({ id: 'x', kind: k, label: 'x', props: { state: 'running' } })) assert.ok((ALLOWED_COMMANDS as readonly string[]).includes(a.command));
    assert.deepEqual(actionsFor(ctr).map((a) => a.command), ['virtlab.revealInTree', 'virtlab.openNamespaceTerminal', 'virtlab.inspectContainerNamespaces', 'virtlab.showCgroup']);
    assert.deepEqual(actionsFor({ id: 'o', kind: 'ovs-bridge', label: 'br', props: {} }).map((a) => a.command), ['virtlab.revealInTree', 'virtlab.showFlows']);
    assert.equal(metricsKindOf(ctr), 'cgroup');
    assert.equal(metricsKindOf({ ...ctr, props: { state: 'exited' } }), undefined);
    assert.equal(metricsKindOf({ id: 'i', kind: 'interface', label: 'eth0', props: {} }), 'interface');
  });
});

describe('topology wire format', () => {
  const snap = (nodes: Snapshot['nodes'], edges: Snapshot['edges']): Snapshot => ({ version: 1, takenAt: 't', nodes, edges, report: { durationMs: 1, skipped: [], sources: { docker: { state: 'ok' } } } });
  const a = snap(
    [ctr, { id: 'process:7', kind: 'process', label: 'sh', props: {} }, { id: 'ns:net:2', kind: 'namespace', label: 'n', props: { type: 'net', pids: [7] } }],
    [{ from: 'process:7', to: 'ns:net:2', kind: 'member-of' }, { from: 'container:c1', to: 'ns:net:2', kind: 'member-of' }],
  );

  it('leaves processes, their edges and pid lists out of the graph', () => {
    const w = toWireGraph(a);
    assert.deepEqual(w.nodes.map((n) => n.id), ['container:c1', 'ns:net:2']);
    assert.deepEqual(w.edges, [{ from: 'container:c1', to: 'ns:net:2', kind: 'member-of' }]);
    assert.equal('pids' in w.nodes[1]!.props, false);
    assert.deepEqual(w.sources, { docker: { state: 'ok' } });
    assert.ok('pids' in a.nodes[2]!.props, 'the snapshot itself is not changed');
  });

  it('filters diffs the same way', () => {
    const b = snap([{ ...ctr, props: { ...ctr.props, state: 'exited' } }, { id: 'process:8', kind: 'process', label: 'sh', props: {} }], [{ from: 'process:8', to: 'container:c1', kind: 'runs' }]);
    const d = toWireDiff(diffSnapshots(a, b), 't2');
    assert.deepEqual(d.addedNodes, []);
    assert.deepEqual(d.changedNodes.map((n) => n.id), ['container:c1']);
    assert.deepEqual(d.removedNodes, ['ns:net:2']);
    assert.deepEqual(d.addedEdges, []);
    assert.deepEqual(d.removedEdges, [{ from: 'container:c1', to: 'ns:net:2', kind: 'member-of' }]);
  });
});
