import { existsSync, statSync } from 'node:fs';
import type { GraphNode, Snapshot } from '../../model/graph';
import { containerNamed, fail, ok } from '../probe';
import type { LabChecks } from './registry';
import { plural } from '../../../shared/format';

// Guided lab 4: image layers from the snapshot's image and layer nodes; the container's upper
// directory read on disk, where the kernel's overlay puts what the container writes.

const imageTagged = (s: Snapshot, tag: string): GraphNode | undefined => s.nodes.find((n) => n.kind === 'image' && Array.isArray(n.props.tags) && (n.props.tags as unknown[]).includes(tag));
const layersOf = (n: GraphNode): string[] => (Array.isArray(n.props.layers) ? (n.props.layers as string[]) : []);
const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);

function sizeOf(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The running overlay container's upper and lower directories, or why not. */
function overlayOf(s: Snapshot, name: string): { upper: string; lowers: string[] } | string {
  const c = containerNamed(s, name);
  if (!c) return `No container named ${name}.`;
  if (c.props.state !== 'running') return `Container ${name} is ${String(c.props.state)}, not running.`;
  if (c.props.graphDriver !== 'overlay2') return `${name} uses the ${String(c.props.graphDriver)} storage driver, not overlay2; this lab needs overlay.`;
  const ov = c.props.overlay as { upperdir?: unknown; lowerdirsResolved?: unknown } | undefined;
  const upper = typeof ov?.upperdir === 'string' ? ov.upperdir : typeof c.props.upperDir === 'string' ? c.props.upperDir : undefined;
  if (!upper) return `${name}'s upper directory is not known (Docker did not report GraphDriver.Data.UpperDir).`;
  const lowers = Array.isArray(ov?.lowerdirsResolved) ? (ov.lowerdirsResolved as string[]) : [];
  return { upper, lowers };
}

export const unionFsChecks: LabChecks = {
  async layers(ctx) {
    const s = await ctx.snapshot();
    const base = imageTagged(s, 'virtlab/busybox:latest');
    const mine = imageTagged(s, 'vlg-greeting:1');
    if (!base) return fail('The image virtlab/busybox:latest is not on this machine.');
    if (!mine) return fail('No image tagged vlg-greeting:1 (make it with `docker commit vlg-base vlg-greeting:1`).');
    const bl = layersOf(base);
    const ml = layersOf(mine);
    const sharedN = bl.filter((d, i) => ml[i] === d).length;
    if (sharedN !== bl.length || ml.length <= bl.length) return fail(`vlg-greeting:1 has ${plural(ml.length, 'layer')}; ${sharedN} of virtlab/busybox:latest's ${bl.length} are at its bottom. It should start with all of them and add one.`);
    const layerNodes = s.nodes.filter((n) => n.kind === 'layer' && bl.includes(String(n.props.digest)));
    const markedShared = layerNodes.filter((n) => n.props.shared === true).length;
    return ok(`vlg-greeting:1 has ${ml.length} layers: the bottom ${sharedN} (${bl.map(short).join(', ')}) are virtlab/busybox:latest's, stored once and used by both (${markedShared} marked shared in the tree); ${ml.length - bl.length} new (${ml.slice(bl.length).map(short).join(', ')}).`);
  },

  async upper(ctx) {
    const o = overlayOf(await ctx.snapshot(), 'vlg-ufs');
    if (typeof o === 'string') return fail(o);
    if (!existsSync(o.upper)) return fail(`vlg-ufs's upper directory ${o.upper} does not exist on disk (is Docker's data root visible from here?).`);
    return ok(`vlg-ufs runs on overlay: upper directory ${o.upper} (writable, the container's own) over ${o.lowers.length} read-only lower directories.`);
  },

  async 'copy-up'(ctx) {
    const o = overlayOf(await ctx.snapshot(), 'vlg-ufs');
    if (typeof o === 'string') return fail(o);
    const note = sizeOf(`${o.upper}/tmp/vlg-note.txt`);
    const upperPasswd = sizeOf(`${o.upper}/etc/passwd`);
    const lower = o.lowers.map((d) => `${d}/etc/passwd`).find((p) => sizeOf(p) !== undefined);
    const lowerPasswd = lower ? sizeOf(lower) : undefined;
    if (note === undefined) return fail(`${o.upper}/tmp/vlg-note.txt does not exist: the new file has not been written yet.`);
    if (upperPasswd === undefined) return fail(`New file found in the upper directory (tmp/vlg-note.txt, ${note} bytes), but no copied-up etc/passwd there yet: /etc/passwd is still only in the image's layer${lower ? ` (${lower})` : ''}.`);
    if (lowerPasswd !== undefined && upperPasswd <= lowerPasswd) return fail(`etc/passwd is in the upper directory (${upperPasswd} bytes) but not larger than the lower one (${lowerPasswd} bytes): the line was not appended.`);
    return ok(`Upper directory ${o.upper}: new file tmp/vlg-note.txt (${note} bytes), and etc/passwd copied up (${upperPasswd} bytes, over ${lowerPasswd ?? '?'} bytes in the lower layer${lower ? ` ${lower}` : ''}, which is unchanged).`);
  },
};
