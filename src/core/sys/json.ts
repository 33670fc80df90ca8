/** Small guards for JSON that enters at a boundary (ip -j, QMP, Docker answers), read as `unknown`. */

export type JsonObject = Record<string, unknown>;

/** A plain JSON object (not null, not an array). */
export const isObj = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A finite number, or undefined. */
export const optNum = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A string, or undefined. */
export const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A boolean, or undefined. */
export const optBool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

export const isStr = (v: unknown): v is string => typeof v === 'string';

/** Whether `o` has no keys but `keys` (the webview protocols refuse extra fields). */
export const hasOnly = (o: JsonObject, keys: readonly string[]): boolean => Object.keys(o).every((k) => keys.includes(k));
