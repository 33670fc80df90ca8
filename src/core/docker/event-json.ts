/** Events from GET /events (one JSON object per line), normalised at the boundary. */
import { asObject, num, str, stringMap } from './guards';

/** One Docker event. `action` is the full text (`exec_start: sh -c ...`), `verb` the part before ':'. */
export interface DockerEvent {
  type: string;
  action: string;
  verb: string;
  /** Actor.ID: a container id, image id, network id ... depending on type. */
  id: string;
  attributes: Record<string, string>;
  /** Seconds since the epoch. */
  time: number;
  timeNano: number;
}

/** Normalise one parsed event; undefined when it lacks a type or action (it is then ignored). */
export function normaliseEvent(v: unknown): DockerEvent | undefined {
  const o = asObject(v);
  if (!o) return undefined;
  const actor = asObject(o.Actor) ?? {};
  // Old daemons sent only status/id/from; new ones Type/Action/Actor. Accept both.
  const type = str(o.Type) || (str(o.status) ? 'container' : '');
  const action = str(o.Action) || str(o.status);
  if (!type || !action) return undefined;
  return {
    type,
    action,
    verb: action.split(':')[0].trim(),
    id: str(actor.ID) || str(o.id),
    attributes: stringMap(actor.Attributes),
    time: num(o.time),
    timeNano: num(o.timeNano),
  };
}

/** Parse one line of the events stream; undefined for blank, non-JSON or invalid lines. */
export function parseEventLine(line: string): DockerEvent | undefined {
  const t = line.trim();
  if (!t) return undefined;
  try {
    return normaliseEvent(JSON.parse(t));
  } catch {
    return undefined;
  }
}

/**
 * Splits a byte stream into lines. Docker usually writes one event per chunk, but chunks may
 * be split or merged by the socket, so a partial trailing line is kept until its newline arrives.
 */
export class LineSplitter {
  private rest = '';

  /** Feed a chunk; returns the complete lines it finished. */
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    // An unbounded partial line would be a hostile stream; drop it rather than grow forever.
    if (this.rest.length > 1024 * 1024) this.rest = '';
    return lines;
  }
}
