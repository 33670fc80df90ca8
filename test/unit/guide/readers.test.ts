import assert from 'node:assert/strict';
import { diffBaseline, isGuideObject, type Baseline } from '../../../src/core/guide';
import { icmpPackets } from '../../../src/core/guide/pcap';
import { parseSnmp } from '../../../src/core/guide/probe';

const SNMP = `Ip: Forwarding DefaultTTL InReceives
Ip: 2 64 7
Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InEchos InEchoReps OutEchos OutEchoReps
Icmp: 3 0 0 0 3 0 0 3
IcmpMsg: InType8 OutType0
IcmpMsg: 3 3
`;

/** A pcap (little-endian, Ethernet) holding the given IPv4 ICMP packets. */
function pcap(packets: { src: number[]; dst: number[]; type: number; vlan?: boolean }[], linkType = 1): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(linkType, 20);
  const recs = packets.map((p) => {
    const eth = Buffer.alloc(p.vlan ? 18 : 14);
    if (p.vlan) {
      eth.writeUInt16BE(0x8100, 12);
      eth.writeUInt16BE(0x0800, 16);
    } else eth.writeUInt16BE(0x0800, 12);
    const ip = Buffer.alloc(20 + 8);
    ip[0] = 0x45;
    ip[9] = 1;
    Buffer.from(p.src).copy(ip, 12);
    Buffer.from(p.dst).copy(ip, 16);
    ip[20] = p.type;
    const data = Buffer.concat([eth, ip]);
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(data.length, 8);
    rh.writeUInt32LE(data.length, 12);
    return Buffer.concat([rh, data]);
  });
  return Buffer.concat([head, ...recs]);
}

describe('guide readers', () => {
  it('parseSnmp reads the Icmp counters of /proc/net/snmp', () => {
    const s = parseSnmp(SNMP);
    assert.equal(s.Icmp.InEchos, 3);
    assert.equal(s.Icmp.OutEchoReps, 3);
    assert.equal(s.Ip.InReceives, 7);
    assert.equal(s.IcmpMsg.InType8, 3);
  });

  it('icmpPackets finds echo requests and replies, also behind a VLAN tag', () => {
    const buf = pcap([
      { src: [10, 0, 0, 1], dst: [10, 0, 0, 4], type: 8 },
      { src: [10, 0, 0, 4], dst: [10, 0, 0, 1], type: 0, vlan: true },
    ]);
    assert.deepEqual(icmpPackets(buf), [
      { src: '10.0.0.1', dst: '10.0.0.4', type: 8 },
      { src: '10.0.0.4', dst: '10.0.0.1', type: 0 },
    ]);
  });

  it('icmpPackets refuses what is not a pcap, and truncated records end the read', () => {
    assert.throws(() => icmpPackets(Buffer.from('hello world, not a capture file')), /not a pcap file/);
    assert.throws(() => icmpPackets(pcap([], 127)), /link type 127/);
    const full = pcap([{ src: [10, 0, 0, 1], dst: [10, 0, 0, 4], type: 8 }]);
    assert.deepEqual(icmpPackets(full.subarray(0, full.length - 5)), []);
  });

  it('diffBaseline reports added and removed names per kind, narrowed to guide objects', () => {
    const empty: Baseline = { containers: [], images: [], netns: [], links: [], ovsBridges: [], qemu: [], labs: [] };
    const a: Baseline = { ...empty, containers: ['other', 'vlg-pid'], qemu: ['12 other'] };
    const b: Baseline = { ...empty, containers: ['other2'], netns: ['vlg-a'], qemu: ['12 other', '40 vlg-e1000'] };
    assert.deepEqual(diffBaseline(a, b, isGuideObject), [
      { kind: 'containers', added: [], removed: ['vlg-pid'] },
      { kind: 'netns', added: ['vlg-a'], removed: [] },
      { kind: 'qemu', added: ['40 vlg-e1000'], removed: [] },
    ]);
    assert.equal(diffBaseline(a, b).find((d) => d.kind === 'containers')?.added[0], 'other2');
  });
});
