// The CA names the certauth listener may put in its CertificateRequest, bounded like the servers it imitates:
// Entra sends issuer hints up to 16 KB and Schannel (AD FS) truncates its list at 16 KB (DOMAIN.md, E-HOW, S-TLS).
import { isCaCert, type Cert } from '@/lib/pki/cert';
import type { CaListInfo } from './types';

export const MAX_CA_LIST_BYTES = 16 * 1024;

/** Bytes one name takes in certificate_authorities: a 2-byte length and the DER Name. */
export const caNameBytes = (c: Cert) => 2 + c.subject.der.length;

/**
 * The CA certificates to list, in the order given: CA certificates only (a user certificate is no issuer hint), one per
 * subject, and no more than fits in 16 KB; the rest are named in `dropped` so the report can say what was left out.
 */
export function boundCaList(certs: Cert[], source: CaListInfo['source']): { kept: Cert[]; info: CaListInfo } {
  const kept: Cert[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for (const c of certs) {
    if (!isCaCert(c) || seen.has(c.subject.key)) continue;
    seen.add(c.subject.key);
    if (bytes + caNameBytes(c) > MAX_CA_LIST_BYTES) {
      dropped.push(c.subject.display);
      continue;
    }
    bytes += caNameBytes(c);
    kept.push(c);
  }
  return { kept, info: { names: kept.map((c) => c.subject.display), bytes, dropped, source } };
}

export const EMPTY_CA_LIST: CaListInfo = { names: [], bytes: 0, dropped: [] };
