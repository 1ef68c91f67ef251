// Which CRLs the path needs: for every certificate in the path except the root, the CA that issued it
// and the URLs its CDP and Freshest CRL extensions name. Shared by the download collector and the checks.
import type { ChainResult } from '@/lib/pki/chain/types';
import type { CrlSet } from '@/lib/pki/crl/types';
import type { CertEntry } from '@/lib/pki/types';

export type UrlScheme = 'http' | 'https' | 'ldap' | 'file' | 'other';

export function urlScheme(url: string): UrlScheme {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim());
  const s = m?.[1].toLowerCase();
  if (s === 'http' || s === 'https' || s === 'file') return s;
  if (s === 'ldap' || s === 'ldaps') return 'ldap';
  return 'other';
}

export const isFetchable = (url: string) => {
  const s = urlScheme(url);
  return s === 'http' || s === 'https';
};

export interface CrlTarget {
  /** The certificate whose revocation status the CRL gives. */
  cert: CertEntry;
  /** The CA that issued it (its CRL is the one wanted); absent when the chain stops short of it. */
  ca?: CertEntry;
  /** Display name of the issuing CA (from the certificate when the CA itself is missing). */
  caName: string;
  /** Every CDP URL, any scheme, in the certificate's order. */
  cdpUrls: string[];
  /** Every Freshest CRL (delta) URL in the certificate. */
  freshestUrls: string[];
  /** A --crl file that stands in for the download: its name. */
  coveredByFile?: string;
}

export function crlTargets(chain: ChainResult | undefined, crlFiles?: CrlSet): CrlTarget[] {
  if (!chain?.path.length) return [];
  const path = chain.path;
  const last = path[path.length - 1];
  // The root vouches for itself: nobody publishes a CRL that revokes a trust anchor.
  const upto = chain.complete && last.cert.selfIssued ? path.length - 1 : path.length;
  const out: CrlTarget[] = [];
  for (let i = 0; i < upto; i++) {
    const cert = path[i];
    const ca = path[i + 1];
    const caKey = ca?.cert.subject.key ?? cert.cert.issuer.key;
    const file = crlFiles?.items.find((c) => c.issuer.key === caKey && c.deltaCrlIndicator === undefined);
    out.push({
      cert,
      ca,
      caName: ca?.cert.subject.display ?? cert.cert.issuer.display,
      cdpUrls: [...new Set((cert.cert.cdp ?? []).flatMap((d) => d.urls))],
      freshestUrls: [...new Set((cert.cert.freshestCrl ?? []).flatMap((d) => d.urls))],
      coveredByFile: file?.source.name,
    });
  }
  return out;
}
