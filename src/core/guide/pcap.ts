// Just enough of the classic pcap format (what tcpdump -w writes) to find ICMP echoes in a capture.

export interface IcmpPacket {
  src: string;
  dst: string;
  /** 8 = echo request, 0 = echo reply. */
  type: number;
}

const ip4 = (b: Buffer, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/** ICMP packets of an Ethernet or Linux-cooked pcap file; throws on a file that is not pcap. */
export function icmpPackets(buf: Buffer): IcmpPacket[] {
  if (buf.length < 24) throw new Error(`not a pcap file (${buf.length} bytes)`);
  const magic = buf.readUInt32LE(0);
  let le: boolean;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (buf.readUInt32BE(0) === 0xa1b2c3d4 || buf.readUInt32BE(0) === 0xa1b23c4d) le = false;
  else throw new Error('not a pcap file (unknown magic number; pcapng is not read here)');
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const linkType = u32(20);
  // Offset of the ethertype / protocol field and of the network header per link type.
  const l2 = linkType === 1 ? { type: 12, net: 14 } : linkType === 113 ? { type: 14, net: 16 } : undefined;
  if (!l2) throw new Error(`pcap link type ${linkType} is not Ethernet or Linux cooked capture`);
  const out: IcmpPacket[] = [];
  for (let o = 24; o + 16 <= buf.length; ) {
    const incl = u32(o + 8);
    const p = o + 16;
    o = p + incl;
    if (o > buf.length) break;
    let typeAt = p + l2.type;
    let net = p + l2.net;
    if (linkType === 1 && buf.readUInt16BE(typeAt) === 0x8100) {
      typeAt += 4;
      net += 4;
    }
    if (net + 20 > o || buf.readUInt16BE(typeAt) !== 0x0800 || buf[net] >> 4 !== 4) continue;
    const ihl = (buf[net] & 0x0f) * 4;
    if (buf[net + 9] !== 1 || net + ihl + 1 > o) continue;
    out.push({ src: ip4(buf, net + 12), dst: ip4(buf, net + 16), type: buf[net + ihl] });
  }
  return out;
}
