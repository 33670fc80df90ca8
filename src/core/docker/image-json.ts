/** Image shapes from GET /images/json and GET /images/<id>/json, normalised at the boundary. */
import { asObject, isImageId, num, str, strings } from './guards';
import { normaliseGraphDriver, type GraphDriverInfo } from './container-json';

/** GET /images/<id>/json, normalised. */
export interface DockerImage {
  id: string;
  tags: string[];
  digests: string[];
  parent: string;
  createdAt: string;
  size: number;
  /** RootFS.Layers: uncompressed layer digests (diff ids), bottom first. */
  layers: string[];
  graphDriver: GraphDriverInfo;
}

const LAYER_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** One row of GET /images/json: what can change for an id (its tags); the rest comes from inspect. */
export interface DockerImageSummary {
  id: string;
  tags: string[];
}

/** GET /images/json; a non-array answer gives [] and `bad` counts rows without a valid Id. */
export function normaliseImageList(v: unknown): { images: DockerImageSummary[]; bad: number } {
  if (!Array.isArray(v)) return { images: [], bad: v === undefined ? 0 : 1 };
  const images: DockerImageSummary[] = [];
  let bad = 0;
  for (const row of v) {
    const o = asObject(row);
    if (o && isImageId(o.Id)) images.push({ id: o.Id, tags: strings(o.RepoTags).filter((t) => t !== '<none>:<none>') });
    else bad++;
  }
  return { images, bad };
}

/** GET /images/<id>/json; undefined without a valid Id. Malformed layer digests are dropped. */
export function normaliseImageInspect(v: unknown): DockerImage | undefined {
  const o = asObject(v);
  if (!o || !isImageId(o.Id)) return undefined;
  const rootfs = asObject(o.RootFS) ?? {};
  return {
    id: o.Id,
    tags: strings(o.RepoTags).filter((t) => t !== '<none>:<none>'),
    digests: strings(o.RepoDigests),
    parent: str(o.Parent),
    createdAt: str(o.Created),
    size: num(o.Size),
    layers: strings(rootfs.Layers).filter((l) => LAYER_DIGEST.test(l)),
    graphDriver: normaliseGraphDriver(o.GraphDriver),
  };
}

/**
 * The on-disk directory of each layer, bottom first, when the driver's dirs line up with the
 * layers (overlay2: LowerDir lists the lower layers top-most first, UpperDir is the top layer).
 */
export function layerDirs(img: DockerImage): (string | null)[] {
  const gd = img.graphDriver;
  const dirs = [...gd.lowerDirs].reverse();
  if (gd.upperDir) dirs.push(gd.upperDir);
  if (gd.name !== 'overlay2' || dirs.length !== img.layers.length) return img.layers.map(() => null);
  return dirs;
}
