// Get-AdfsSslCertificate: the HTTP.sys bindings AD FS made, one per host name and port, with the certificate
// hash. Its default output is a table (HostName, PortNumber, CertificateHash); Format-List is read too.
import { prop } from './format-list';
import { readRecords } from './format-table';
import { hexId, type Line } from './text';
import type { AdfsSslCertificateData } from './types';

export const ADFS_SSL_NAMES = ['portnumber', 'certificatehash'];

export function scoreAdfsSslCertificate(names: Set<string>): number {
  if (names.has('portnumber') && names.has('certificatehash')) return 4;
  return 0;
}

export function parseAdfsSslCertificate(lines: Line[]): AdfsSslCertificateData {
  const bindings: AdfsSslCertificateData['bindings'] = [];
  for (const r of readRecords(lines, ['HostName', 'PortNumber', 'CertificateHash'])) {
    const port = prop(r, 'PortNumber');
    const hash = prop(r, 'CertificateHash');
    if (!port && !hash) continue;
    const first = prop(r, 'HostName') ?? r.props[0];
    if (bindings.length >= 200) break;
    bindings.push({
      hostName: prop(r, 'HostName')?.value.toLowerCase() || null,
      port: port && /^\d{1,5}$/.test(port.value) ? Number(port.value) : null,
      certificateHash: hexId(hash?.value),
      line: first.line,
      text: first.text,
    });
  }
  return { bindings };
}
