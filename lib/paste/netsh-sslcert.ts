// netsh http show sslcert: one "Hostname:port / IP:port / Central Certificate Store : x" binding after
// another, each followed by "Name : value" properties.
import { cut, head2, heads, nullish, parseBool, quote, type Line } from './text';
import type { NetshSslCertData, SslBinding } from './types';

const ENDPOINT = /^(Hostname:port|IP:port|Central Certificate Store|CCS port)\s*:\s*(.*)$/i;
const PROPERTY = /^([A-Za-z][A-Za-z0-9 ]{0,80}?)\s*:\s*(.*)$/;

const SCORED = heads('SS', 'Ho', 'IP', 'Ce', 'CC', 'Ap', 'Ct', 'Ne', 'DS');

export function lineScoreSslCert(t: string): number {
  // Cheap first look (every line of every paragraph is scored): how the patterns below start.
  if (!SCORED.has(head2(t))) return 0;
  if (/^SSL Certificate bindings:?$/i.test(t) || ENDPOINT.test(t)) return 3;
  if (/^(Certificate Hash|Application ID|Ctl Store Name|Negotiate Client Certificate|Certificate Store Name|DS Mapper Usage)\s*:/i.test(t)) return 1;
  return 0;
}

const key = (name: string) => name.toLowerCase().replace(/\s+/g, '');

function splitEndpoint(type: SslBinding['endpointType'], ep: string): { host: string | null; port: number | null } {
  if (type === 'ccs') return { host: null, port: /^\d+$/.test(ep) ? Number(ep) : null };
  const m = /^(.*):(\d{1,5})$/.exec(ep);
  if (!m) return { host: ep || null, port: null };
  return { host: m[1].replace(/^\[|\]$/g, '').toLowerCase() || null, port: Number(m[2]) };
}

export function parseNetshSslCert(lines: Line[]): NetshSslCertData {
  const bindings: SslBinding[] = [];
  let cur: SslBinding | null = null;
  for (const l of lines) {
    const t = l.text.trim();
    const e = ENDPOINT.exec(t);
    if (e) {
      const label = e[1].toLowerCase();
      const type: SslBinding['endpointType'] = label.startsWith('hostname') ? 'hostnameport' : label.startsWith('ip') ? 'ipport' : 'ccs';
      const endpoint = e[2].trim();
      cur = {
        endpoint,
        endpointType: type,
        ...splitEndpoint(type, endpoint),
        certificateHash: null,
        applicationId: null,
        certificateStoreName: null,
        ctlIdentifier: null,
        ctlStoreName: null,
        negotiateClientCertificate: null,
        properties: {},
        line: l.n,
        text: cut(t),
      };
      bindings.push(cur);
      continue;
    }
    if (!cur) continue;
    const m = PROPERTY.exec(t);
    if (!m) continue;
    const name = m[1].trim();
    const value = m[2].trim();
    cur.properties[name] = value;
    switch (key(name)) {
      case 'certificatehash':
        cur.certificateHash = nullish(value);
        break;
      case 'applicationid':
        cur.applicationId = nullish(value);
        break;
      case 'certificatestorename':
        cur.certificateStoreName = nullish(value);
        break;
      case 'ctlidentifier':
        cur.ctlIdentifier = nullish(value);
        break;
      case 'ctlstorename':
        cur.ctlStoreName = quote(nullish(value), l);
        break;
      case 'negotiateclientcertificate':
        cur.negotiateClientCertificate = quote(parseBool(value), l);
        break;
    }
  }
  return { bindings };
}
