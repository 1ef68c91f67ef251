// Reading Microsoft Graph objects the two ways admins get them: Graph Explorer / REST JSON (camelCase), and
// Microsoft Graph PowerShell piped to ConvertTo-Json (PascalCase, with the properties the SDK model does not
// declare, such as every x509-specific one, under AdditionalProperties in their Graph spelling). Property names
// are therefore looked up without regard to case, the object's own properties first, then AdditionalProperties.
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The value of property `name` (any case), looking into AdditionalProperties too; undefined when absent. */
export function prop(o: Json, name: string): unknown {
  const want = name.toLowerCase();
  let extra: unknown;
  for (const k of Object.keys(o)) {
    const l = k.toLowerCase();
    if (l === want && o[k] !== null && o[k] !== undefined) return o[k];
    if (l === 'additionalproperties') extra = o[k];
  }
  if (isObject(extra)) for (const k of Object.keys(extra)) if (k.toLowerCase() === want) return extra[k];
  return undefined;
}

/** Does the object carry property `name` (any case, AdditionalProperties included), even as null? */
export function has(o: Json, name: string): boolean {
  const want = name.toLowerCase();
  if (Object.keys(o).some((k) => k.toLowerCase() === want)) return true;
  const extra = prop(o, 'AdditionalProperties');
  return isObject(extra) && Object.keys(extra).some((k) => k.toLowerCase() === want);
}

/** A string property ('' and whitespace-only count as absent); numbers and booleans as text. */
export function str(o: Json, name: string): string | null {
  const v = prop(o, name);
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // ConvertTo-Json without -EnumsAsStrings may write an enum as an object with a Value (rare), accept it.
  if (isObject(v) && typeof prop(v, 'Value') === 'string') return String(prop(v, 'Value'));
  return null;
}

export function arr(o: Json, name: string): unknown[] {
  const v = prop(o, name);
  if (Array.isArray(v)) return v;
  // ConvertTo-Json writes a one-element collection as the element alone when it was unrolled by the pipeline.
  return isObject(v) ? [v] : [];
}

export function objects(o: Json, name: string): Json[] {
  return arr(o, name).filter(isObject);
}

export function strings(o: Json, name: string): string[] {
  return arr(o, name).flatMap((v) => (typeof v === 'string' && v.trim() ? [v.trim()] : []));
}

/** The @odata.type of an object (either spelling), lower-case, without the leading '#'. */
export function odataType(o: Json): string | null {
  const t = str(o, '@odata.type');
  return t ? t.replace(/^#/, '').toLowerCase() : null;
}

/** Keys of the object and its AdditionalProperties, lower-case. */
export function keysOf(o: Json): Set<string> {
  const out = new Set(Object.keys(o).map((k) => k.toLowerCase()));
  const extra = prop(o, 'AdditionalProperties');
  if (isObject(extra)) for (const k of Object.keys(extra)) out.add(k.toLowerCase());
  return out;
}

/** Was the object written by ConvertTo-Json from the PowerShell SDK (PascalCase / AdditionalProperties)? */
export function shapeOf(o: Json): 'graph' | 'powershell' {
  return Object.keys(o).some((k) => k === 'AdditionalProperties' || /^[A-Z]/.test(k)) ? 'powershell' : 'graph';
}

/** The entries of a Graph collection answer ({ value: [...] }), of a JSON array, or the object itself. */
export function entries(v: unknown, max = 1000): Json[] {
  if (Array.isArray(v)) return v.filter(isObject).slice(0, max);
  if (isObject(v)) {
    const value = prop(v, 'value');
    if (Array.isArray(value) && (has(v, '@odata.context') || Object.keys(v).length <= 3)) return value.filter(isObject).slice(0, max);
    return [v];
  }
  return [];
}

/** Lower-case hex of a key identifier written with or without separators; null when it is not hex. */
export function hexOf(v: string | null | undefined): string | null {
  if (!v) return null;
  const t = v.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]+$/.test(t) && t.length <= 128 ? t : null;
}
