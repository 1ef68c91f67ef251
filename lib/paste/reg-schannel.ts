// reg query HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL: the key path, then one
// "    Name    REG_TYPE    value" line per value, then the subkeys (Ciphers, Protocols...) as bare paths.
// The values that decide which CAs a client certificate may chain to (S-TLS): ClientAuthTrustMode and
// SendTrustedIssuerList; absent values mean the Windows defaults, so the parser keeps absence apart from 0.
import { cut, head2, heads, type Line } from './text';
import type { RegQueryData, RegValue } from './types';

const KEY = /^HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL(\\[^\s].*)?$/i;
const SHORT_KEY = /^HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL(\\[^\s].*)?$/i;
const VALUE = /^(\S(?:.*?\S)?)\s{2,}(REG_(?:DWORD|QWORD|SZ|EXPAND_SZ|MULTI_SZ|BINARY|NONE))\s{2,}(.*)$|^(\S(?:.*?\S)?)\s+(REG_(?:DWORD|QWORD|SZ|EXPAND_SZ|MULTI_SZ|BINARY|NONE))(?:\s+(.*))?$/;

/** Heads of the marker lines (score.ts looks at a line only when a kind knows its first two letters). */
export const REG_MARKER_HEADS = ['HK', 'Cl', 'Se'];
const SCORED = heads(...REG_MARKER_HEADS);

export function lineScoreRegSchannel(t: string): number {
  if (!SCORED.has(head2(t))) return 0;
  if (KEY.test(t) || SHORT_KEY.test(t)) return 4;
  if (/^(ClientAuthTrustMode|SendTrustedIssuerList)\s+REG_DWORD\s/i.test(t)) return 3;
  return 0;
}

/** A REG_DWORD as reg prints it (0x2), or a decimal. */
function dword(v: string): number | null {
  const t = v.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return parseInt(t, 16);
  if (/^\d{1,10}$/.test(t)) return Number(t);
  return null;
}

export function parseRegSchannel(lines: Line[]): RegQueryData {
  const data: RegQueryData = { keys: [], values: [] };
  let key: string | null = null;
  for (const l of lines) {
    const t = l.text.trim();
    if (!t) continue;
    const k = KEY.exec(t) ?? SHORT_KEY.exec(t);
    if (k) {
      key = (k[1] ?? '').replace(/^\\/, '');
      if (data.keys.length < 200) data.keys.push(key || 'SCHANNEL');
      continue;
    }
    const m = VALUE.exec(t);
    if (!m || key === null) continue;
    const name = (m[1] ?? m[4]).trim();
    const type = m[2] ?? m[5];
    const raw = (m[3] ?? m[6] ?? '').trim();
    const v: RegValue = { key: key || 'SCHANNEL', name, type, value: raw, number: type === 'REG_DWORD' || type === 'REG_QWORD' ? dword(raw) : null, line: l.n, text: cut(t) };
    if (data.values.length < 500) data.values.push(v);
  }
  return data;
}

/** A value of the SCHANNEL key itself (not a subkey), by name. */
export function schannelValue(d: RegQueryData, name: string): RegValue | null {
  return d.values.find((v) => v.key === 'SCHANNEL' && v.name.toLowerCase() === name.toLowerCase()) ?? null;
}
