// What the CRL download checks share: when they have something to judge, how a download is named in the
// evidence, and unit formatting.
import { psLiteral } from '@/lib/commands/powershell';
import type { Artifacts } from '@/lib/report/artifacts';
import { crlTargets } from './crl-targets';
import type { CrlDownload } from './types';

export const MB = 1024 * 1024;

/** Whether the download checks have anything to look at; a string is the skip reason. */
export function downloadsApply(a: Artifacts): true | string {
  if (a.ctx.offline) return 'The diagnosis ran offline, so no CRL was downloaded.';
  if (!a.chain?.path.length) return 'No certificate chain was built, so there is no CRL to download.';
  if (!a.crlDownloads) return 'No CRL was downloaded.';
  if (a.crlDownloads.length) return true;
  const targets = crlTargets(a.chain, a.crlFiles);
  if (targets.length && targets.every((t) => t.coveredByFile))
    return `Every CRL the path needs was given as a file (${[...new Set(targets.map((t) => t.coveredByFile))].join(', ')}), so nothing was downloaded.`;
  return 'No certificate in the path names an HTTP or HTTPS CRL URL, so nothing could be downloaded (see crl.location).';
}

/** CAs whose CRL came from a file: listed in the evidence so the reader sees why they were not fetched. */
export function coveredByFiles(a: Artifacts) {
  return crlTargets(a.chain, a.crlFiles)
    .filter((t) => t.coveredByFile)
    .map((t) => ({ certificate: t.cert.cert.subject.display, ca: t.caName, status: 'skip' as const, note: `CRL given as the file ${t.coveredByFile}; not downloaded` }));
}

/** The identifying part of a download's evidence: which URL, for which certificate and CA. */
export function downloadId(a: Artifacts, d: CrlDownload) {
  const path = a.chain?.path ?? [];
  const cert = path.find((e) => e.ref === d.forRef);
  const ca = d.caRef ? path.find((e) => e.ref === d.caRef) : undefined;
  return {
    url: d.fetch.url,
    kind: d.kind,
    certificate: cert?.cert.subject.display ?? d.forRef,
    ca: ca?.cert.subject.display ?? cert?.cert.issuer.display ?? null,
  };
}

export function seconds(ms: number): number {
  return Math.round(ms / 10) / 100;
}

export function megabytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / MB).toFixed(bytes >= 10 * MB ? 1 : 2)} MB`;
}

/** Plain-language form of a fetch failure for summaries. */
export function failureText(d: CrlDownload): string {
  const r = d.fetch;
  if (r.error?.kind === 'http' && r.httpStatus) return `HTTP ${r.httpStatus}`;
  if (r.error?.kind === 'timeout')
    return r.ttfbMs === undefined ? `no answer within ${seconds(r.timeoutMs ?? r.totalMs)} s` : `not complete within ${seconds(r.timeoutMs ?? r.totalMs)} s (${r.bytes} bytes received)`;
  return r.error ? `${r.error.kind}: ${r.error.message}` : 'ok';
}

export const KB_CBA_URL = 'https://learn.microsoft.com/en-us/troubleshoot/azure/active-directory/certificate-based-authenticate-issue';
export const ENTRA_CRL_URL = 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-technical-deep-dive';

/** The test a helpdesk engineer can run on an AD FS or WAP server to repeat a download. */
export function downloadCommand(url: string): string {
  return `Measure-Command { Invoke-WebRequest -UseBasicParsing -Uri ${psLiteral(url)} -OutFile "$env:TEMP\\test.crl" }; (Get-Item "$env:TEMP\\test.crl").Length`;
}
