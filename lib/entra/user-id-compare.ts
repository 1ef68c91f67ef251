// Comparing a certificateUserIds value this certificate gives with the values a user holds, and the near
// misses worth telling (a prefix in another case, a serial number in certutil's byte order).
import type { Cert } from '@/lib/pki/cert';

/** certificateUserIds values: the X509:<TYPE> prefix is case-sensitive; the hex and names after it are compared as written by Entra (hex lower-case). */
export function compareUserId(value: string, ids: string[]): { match: boolean; note?: string } {
  if (ids.includes(value)) return { match: true };
  const prefix = /^X509:<[^>]+>/.exec(value)?.[0] ?? '';
  const rest = value.slice(prefix.length);
  for (const id of ids) {
    const p = /^x509:<[^>]+>/i.exec(id)?.[0] ?? '';
    const r = id.slice(p.length);
    if (p === prefix && r.toLowerCase() === rest.toLowerCase() && /^<(SKI|SHA1-PUKEY)>$/.test(prefix.slice(5))) return { match: true };
    if (p !== prefix && p.toLowerCase() === prefix.toLowerCase() && r.toLowerCase() === rest.toLowerCase())
      return { match: false, note: `the user has ${id}, but the prefix must be written exactly ${prefix} (it is case-sensitive)` };
  }
  return { match: false };
}

/** The serial of an X509:<I>…<SR>… value written in the other byte order (as certutil shows it). */
export function forwardSerialNote(value: string, ids: string[], cert: Cert): string | undefined {
  const m = /^(X509:<I>.*<SR>)([0-9a-f]+)$/i.exec(value);
  if (!m) return undefined;
  const forward = `${m[1]}${cert.serialRawHex.toLowerCase()}`;
  if (forward.toLowerCase() === value.toLowerCase()) return undefined;
  const hit = ids.find((x) => x.toLowerCase() === forward.toLowerCase());
  return hit ? `the user has ${hit}, the serial number in the order certutil prints it; Entra expects the bytes reversed: ${value}` : undefined;
}

