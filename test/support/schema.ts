/** Validates snapshots against the JSON Schema that `virtlab schema` prints, with per-node explanations. */
import Ajv2020 from 'ajv/dist/2020';
import type { Snapshot } from '../../src/core/model/graph';

export function snapshotValidator(schema: object): (s: Snapshot) => string[] {
  const id = (schema as { $id?: string }).$id ?? '';
  const ajv = new Ajv2020({ allErrors: true });
  const validate = ajv.compile(schema);
  const say = (errors: typeof validate.errors, at: string) => (errors ?? []).map((e) => `${at}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
  /** What the schema refuses; a refused node or edge is explained against its own kind's $defs entry. */
  return (s) => {
    if (validate(s) as boolean) return [];
    const out: string[] = [];
    const check = (def: string, item: unknown, at: string) => {
      const v = ajv.getSchema(`${id}#/$defs/${def}`);
      if (!v) out.push(`${at}: no schema for ${def}`);
      else if (!v(item)) out.push(...say(v.errors, at));
    };
    s.nodes.forEach((n, i) => check(`node:${n.kind}`, n, `/nodes/${i} (${n.id})`));
    s.edges.forEach((e, i) => check(`edge:${e.kind}`, e, `/edges/${i} (${e.kind} ${e.from} -> ${e.to})`));
    return out.length ? out : say(validate.errors, '');
  };
}
