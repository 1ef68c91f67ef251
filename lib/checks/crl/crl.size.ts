import type { Status, Target } from '@/lib/report/schema';
import type { CrlDownload } from '@/lib/net/types';
import { downloadId, downloadsApply, ENTRA_CRL_URL, MB, megabytes } from '@/lib/net/crl-report';
import { worst, type CheckDef } from '../types';

/** Entra's interactive CRL size limit in the global cloud (US Government clouds allow 45 MB). */
export const CRL_SIZE_LIMIT = 20 * MB;
export const CRL_SIZE_LIMIT_USGOV = 45 * MB;

/** The size we know: the whole body, or at least this much when the download was stopped. */
function knownSize(d: CrlDownload): { bytes: number; atLeast: boolean } | undefined {
  const r = d.fetch;
  if (!r.error) return { bytes: r.bytes, atLeast: false };
  if (r.error.kind === 'too-big' || r.error.kind === 'timeout') {
    if (r.declaredBytes !== undefined) return { bytes: r.declaredBytes, atLeast: false };
    if (r.bytes > 0) return { bytes: r.bytes, atLeast: true };
  }
  return undefined;
}

function judge(d: CrlDownload, target: Target): { status: Status; note: string; bytes?: number; atLeast?: boolean } {
  const k = knownSize(d);
  if (!k) return { status: 'skip', note: 'Not downloaded (see crl.fetch).' };
  const shown = `${k.atLeast ? 'at least ' : ''}${megabytes(k.bytes)}`;
  if (k.bytes <= CRL_SIZE_LIMIT) {
    // A stopped download under the limit tells us nothing about the final size.
    if (k.atLeast) return { status: 'skip', note: `The download was stopped after ${shown}; the full size is unknown.`, ...k };
    return { status: 'pass', note: `${shown}, within 20 MB.`, ...k };
  }
  if (target === 'entra')
    return {
      status: 'fail',
      note: `${shown}: over the 20 MB Entra ID limit for interactive sign-in (US Government clouds allow 45 MB${k.bytes > CRL_SIZE_LIMIT_USGOV ? ', which it also exceeds' : ''}).`,
      ...k,
    };
  return { status: 'warn', note: `${shown}: over the 20 MB Entra ID limit (45 MB in US Government clouds); slow to download and process everywhere.`, ...k };
}

export const crlSize: CheckDef = {
  id: 'crl.size',
  category: 'crl',
  title: 'CRLs are small enough',
  description:
    'Entra ID refuses CRLs larger than 20 MB for interactive sign-in in the global cloud (45 MB in US Government clouds), and large CRLs are slow to download and process for AD FS too.',
  citation: 'Entra CBA documentation (CRL size limits: 20 MB, 45 MB in US Government)',
  reference: ENTRA_CRL_URL,
  // The verdict depends on the target, which realm discovery may refine: wait for it.
  needs: ['chain', 'crlDownloads', 'realm'],
  applies: downloadsApply,
  run(a) {
    const rows = a.crlDownloads!.map((d) => {
      const j = judge(d, a.target);
      return { ...downloadId(a, d), status: j.status, note: j.note, bytes: j.bytes ?? null, atLeast: j.atLeast ?? false, megabytes: j.bytes !== undefined ? Math.round((j.bytes / MB) * 100) / 100 : null };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = { target: a.target, limitBytes: CRL_SIZE_LIMIT, usGovLimitBytes: CRL_SIZE_LIMIT_USGOV, downloads: rows };
    if (status === 'skip') return { status, summary: 'No CRL was downloaded completely, so its size is unknown (see crl.fetch).', evidence };
    const big = rows.filter((r) => r.status === 'warn' || r.status === 'fail');
    if (!big.length) return { status, summary: `Every downloaded CRL is within 20 MB (largest ${megabytes(Math.max(...rows.map((r) => r.bytes ?? 0)))}).`, evidence };
    return {
      status,
      summary: `${big.length} CRL(s) over 20 MB${a.target === 'entra' ? ', the Entra ID interactive limit (45 MB in US Government clouds)' : ' (the Entra ID interactive limit; 45 MB in US Government clouds)'}: ${big.map((r) => `${r.url} (${r.note.split(':')[0]})`).join('; ')}.`,
      evidence,
      remediation: [
        {
          text: 'Let expired certificates drop off the CRL: on AD CS, make sure the CA does not keep them (the CRLF_PUBLISH_EXPIRED_CERT_CRLS flag), then publish a new CRL.',
          command: 'certutil -setreg CA\\CRLFlags -CRLF_PUBLISH_EXPIRED_CERT_CRLS && net stop certsvc && net start certsvc && certutil -crl',
        },
        { text: 'If the CRL is still too large, issue user certificates from a new issuing CA so each CRL covers fewer certificates, and revoke only what must be revoked.' },
      ],
    };
  },
};
