// Get-AdfsProperties | Format-List HostName, HttpsPort, TlsClientPort (or the whole Get-AdfsProperties list):
// the federation service name and the two ports AD FS binds, 443 and the certificate authentication port.
import { prop, type FlRecord } from './format-list';
import { readRecords } from './format-table';
import { quote, type Line } from './text';
import type { AdfsPropertiesData, Quoted } from './types';

export const ADFS_PROPERTIES_NAMES = ['hostname', 'httpsport', 'tlsclientport', 'httpport', 'identifier', 'certificatesharingcontainer'];

export function scoreAdfsProperties(names: Set<string>): number {
  if (names.has('tlsclientport')) return 4;
  if (names.has('hostname') && names.has('httpsport')) return 3;
  return 0;
}

function num(r: FlRecord, name: string): Quoted<number | null> | null {
  const p = prop(r, name);
  if (!p) return null;
  const v = /^\d{1,5}$/.test(p.value) ? Number(p.value) : null;
  return { value: v, line: p.line, text: p.text };
}

export function parseAdfsProperties(lines: Line[]): AdfsPropertiesData {
  for (const r of readRecords(lines, ['HostName', 'HttpsPort', 'TlsClientPort'])) {
    if (!prop(r, 'TlsClientPort') && !(prop(r, 'HostName') && prop(r, 'HttpsPort'))) continue;
    const h = prop(r, 'HostName');
    return {
      hostName: h && h.value ? quote(h.value.toLowerCase().replace(/\.$/, ''), { n: h.line, text: h.text }) : null,
      httpsPort: num(r, 'HttpsPort'),
      tlsClientPort: num(r, 'TlsClientPort'),
    };
  }
  return { hostName: null, httpsPort: null, tlsClientPort: null };
}
