import type { Cloud, Status, Target } from '@/lib/report/schema';
import type { CrlDownload } from '@/lib/net/types';
import { downloadId, downloadsApply, ENTRA_CRL_URL, MB, megabytes } from '@/lib/net/crl-report';
import { worst, type CheckDef } from '../types';

/** Entra's limits (DOMAIN.md "CRLs"): over the interactive limit the first sign-in fails while Entra keeps
 *  downloading in the background; over the background limit it never gets the CRL. */
export const CRL_SIZE_LIMIT = 20 * MB;
export const CRL_SIZE_LIMIT_USGOV = 45 * MB;
/** The background limit: 45 MB in the E-CRL and E-DD text, 65 MB in the FAQ; the stricter one fails. */
export const CRL_BACKGROUND_LIMIT = 45 * MB;
export const CRL_BACKGROUND_LIMIT_FAQ = 65 * MB;
export const CRL_BACKGROUND_LIMIT_USGOV = 150 * MB;

export const E_CRL_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificate-revocation-list';
export const E_FAQ_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/certificate-based-authentication-faq';
export const E_DD_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-technical-deep-dive';

export interface SizeLimits {
  cloud: Cloud;
  /** Entra's interactive limit: over it, warn (the first sign-in fails while Entra downloads it). */
  warnAboveBytes: number;
  /** Entra's background limit: over it, fail (target entra only). */
  failAboveBytes?: number;
}

/** The limits applied: entra warns over the interactive limit and fails over the background one; adfs and
 *  unknown warn over Entra's interactive limit and never fail (AD FS documents no size limit). */
export function sizeLimits(target: Target, cloud: Cloud = 'public'): SizeLimits {
  const gov = cloud === 'usgov';
  return {
    cloud,
    warnAboveBytes: gov ? CRL_SIZE_LIMIT_USGOV : CRL_SIZE_LIMIT,
    ...(target === 'entra' ? { failAboveBytes: gov ? CRL_BACKGROUND_LIMIT_USGOV : CRL_BACKGROUND_LIMIT } : {}),
  };
}

const mb = (n: number) => `${Math.round(n / MB)} MB`;

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

function judge(d: CrlDownload, target: Target, l: SizeLimits): { status: Status; note: string; bytes?: number; atLeast?: boolean } {
  const k = knownSize(d);
  if (!k) return { status: 'skip', note: 'Not downloaded (see crl.fetch).' };
  const shown = `${k.atLeast ? 'at least ' : ''}${megabytes(k.bytes)}`;
  const cloud = l.cloud === 'usgov' ? 'US Government clouds' : 'the public cloud';
  if (k.bytes <= l.warnAboveBytes) {
    // A stopped download under the limit tells us nothing about the final size.
    if (k.atLeast) return { status: 'skip', note: `The download was stopped after ${shown}; the full size is unknown.`, ...k };
    return { status: 'pass', note: `${shown}, within ${mb(l.warnAboveBytes)}.`, ...k };
  }
  if (l.failAboveBytes !== undefined && k.bytes > l.failAboveBytes)
    return {
      status: 'fail',
      note: `${shown}: over the ${mb(l.failAboveBytes)} limit of Entra ID's background CRL download in ${cloud}, so Entra ID never gets this CRL and sign-ins fail${l.cloud === 'public' ? ' (one Microsoft page, the CBA FAQ, gives 65 MB; the stricter 45 MB of the CRL pages is applied)' : ''}.`,
      ...k,
    };
  if (target === 'entra')
    return {
      status: 'warn',
      note: `${shown}: over the ${mb(l.warnAboveBytes)} limit for interactive sign-in in ${cloud}: the first sign-in after each new CRL fails while Entra ID downloads it in the background (up to ${mb(l.failAboveBytes!)}).`,
      ...k,
    };
  return { status: 'warn', note: `${shown}: over the ${mb(l.warnAboveBytes)} Entra ID interactive limit in ${cloud}; slow to download and process everywhere.`, ...k };
}

export const crlSize: CheckDef = {
  id: 'crl.size',
  category: 'crl',
  title: 'CRLs are small enough',
  description:
    'Entra ID downloads a CRL of up to 20 MB during sign-in (45 MB in US Government clouds). A larger one makes the first sign-in fail while Entra ID keeps downloading it in the background, up to 45 MB (150 MB in US Government clouds); beyond that it never gets the CRL. Large CRLs are slow to download and process for AD FS too.',
  citation: 'Entra CBA CRL page and technical deep dive (20 MB interactive, 45 MB background; US Government 45 / 150 MB); Entra CBA FAQ (65 MB background: the sources differ, the stricter 45 MB fails)',
  sources: [
    { key: 'E-CRL', url: E_CRL_URL, says: 'interactive limit 20 MB (45 MB US Government); background limit 45 MB (150 MB US Government)' },
    { key: 'E-DD', url: E_DD_URL, says: 'interactive limit 20 MB; background download up to 45 MB' },
    { key: 'E-FAQ', url: E_FAQ_URL, says: 'background download up to 65 MB' },
  ],
  reference: ENTRA_CRL_URL,
  // The verdict depends on the target, which realm discovery may refine: wait for it.
  needs: ['chain', 'crlDownloads', 'realm'],
  applies: downloadsApply,
  run(a) {
    const limits = sizeLimits(a.target, a.ctx.cloud);
    const rows = a.crlDownloads!.map((d) => {
      const j = judge(d, a.target, limits);
      return { ...downloadId(a, d), status: j.status, note: j.note, bytes: j.bytes ?? null, atLeast: j.atLeast ?? false, megabytes: j.bytes !== undefined ? Math.round((j.bytes / MB) * 100) / 100 : null };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = {
      target: a.target,
      cloud: limits.cloud,
      warnAboveBytes: limits.warnAboveBytes,
      failAboveBytes: limits.failAboveBytes ?? null,
      sourcesDiffer:
        limits.cloud === 'public'
          ? 'The Entra CRL page and technical deep dive give 45 MB for the background download; the CBA FAQ gives 65 MB. The stricter 45 MB is applied.'
          : null,
      downloads: rows,
    };
    if (status === 'skip') return { status, summary: 'No CRL was downloaded completely, so its size is unknown (see crl.fetch).', evidence };
    const big = rows.filter((r) => r.status === 'warn' || r.status === 'fail');
    if (!big.length) return { status, summary: `Every downloaded CRL is within ${mb(limits.warnAboveBytes)} (largest ${megabytes(Math.max(...rows.map((r) => r.bytes ?? 0)))}).`, evidence };
    const where = limits.cloud === 'usgov' ? ' (US Government cloud)' : '';
    return {
      status,
      summary: `${big.length} CRL(s) over the ${mb(limits.warnAboveBytes)} Entra ID interactive limit${where}${limits.failAboveBytes !== undefined ? ` (fail above the ${mb(limits.failAboveBytes)} background limit)` : ''}: ${big.map((r) => `${r.url} (${r.note.split(':')[0]})`).join('; ')}.`,
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
