// Certificate stores listed by certutil (-store / -verifystore / -enterprise -store), by what they are for.
import type { Artifacts } from '@/lib/report/artifacts';
import type { PasteBlockOf, StoreCertificate } from '@/lib/paste/types';
import { blocksOf, sameDn, type ChainCa } from './common';

export type StoreBlock = PasteBlockOf<'verifystore'>;

/** The enterprise NTAuth store (header `NTAuth "..."`, or the command named it). */
export const isNtAuth = (b: StoreBlock) => /^ntauth$/i.test(b.data.store ?? '') || /ntauth/i.test(b.data.storeTitle ?? '');
/** The Client Authentication Issuers store (Schannel's trusted issuers, S-TLS). */
export const isClientAuthIssuer = (b: StoreBlock) => /^clientauthissuer$/i.test(b.data.store ?? '') || /client authentication issuers/i.test(b.data.storeTitle ?? '');

export function storeBlocks(a: Artifacts, which: (b: StoreBlock) => boolean): StoreBlock[] {
  return blocksOf(a, 'verifystore').filter(which);
}

export interface StoreHit {
  block: StoreBlock;
  cert: StoreCertificate;
  /** thumbprint: the very certificate; name: a certificate with the same subject but another thumbprint. */
  by: 'thumbprint' | 'name';
}

/** Where a CA of the chain is in the listed stores: by thumbprint first, else by subject name. */
export function findCa(ca: ChainCa, blocks: StoreBlock[]): StoreHit | null {
  for (const block of blocks) {
    const cert = block.data.certificates.find((x) => x.sha1 === ca.sha1);
    if (cert) return { block, cert, by: 'thumbprint' };
  }
  for (const block of blocks) {
    const cert = block.data.certificates.find((x) => sameDn(x.subject, ca.subject));
    if (cert) return { block, cert, by: 'name' };
  }
  return null;
}

/** The common name of a DN, for file names in instructions: letters, digits, spaces, dots and dashes only. */
export function safeCn(dn: string | null | undefined, fallback: string): string {
  const cn = /CN=([^,]+)/i.exec(dn ?? '')?.[1]?.trim() ?? '';
  const clean = cn.replace(/[^A-Za-z0-9 ._-]/g, '').trim();
  return clean || fallback;
}
