import type { Remediation, Status, Target } from '@/lib/report/schema';
import type { CrlDownload } from '@/lib/net/types';
import { coveredByFiles, downloadCommand, downloadId, downloadsApply, failureText, KB_CBA_URL, seconds } from '@/lib/net/crl-report';
import type { Artifacts } from '@/lib/report/artifacts';
import { crlTargets, isFetchable, urlScheme } from '@/lib/net/crl-targets';
import { psQuote } from '../cert/common';
import { worst, type CheckDef } from '../types';

function judge(d: CrlDownload, target: Target): { status: Status; note: string } {
  const r = d.fetch;
  const e = r.error;
  if (!e) {
    if (r.httpStatus !== 200) return { status: 'fail', note: `The server answered HTTP ${r.httpStatus}, not 200.` };
    if (r.bytes === 0) return { status: 'fail', note: 'The server answered 200 with an empty body.' };
    return { status: 'pass', note: `HTTP 200, ${r.bytes} bytes in ${seconds(r.totalMs)} s.` };
  }
  switch (e.kind) {
    case 'too-big':
      // The server did answer; the size itself is judged by crl.size.
      return { status: 'pass', note: `The server answered, but the download was stopped at the size limit (see crl.size). ${e.message}` };
    case 'timeout':
      // The server answered and sent data, too slowly to finish: the slowness is crl.download-time's finding.
      if (r.ttfbMs !== undefined) return { status: 'pass', note: `The server answered, but the download did not finish within the time limit (see crl.download-time). ${e.message}` };
      return { status: 'fail', note: e.message };
    case 'blocked':
      // A private address may still be reachable from AD FS inside the network; anything refused whatever the
      // settings (cloud metadata, a redirect to another scheme) is reachable for nobody.
      if (!e.privateOnly) return { status: 'fail', note: `${e.message}. No validator downloads a CRL from there.` };
      return target === 'entra'
        ? { status: 'fail', note: `${e.message} Entra ID downloads CRLs from the Internet and cannot reach such an address either.` }
        : { status: 'warn', note: `${e.message} Devices and services on the Internet cannot reach it; run the diagnosis inside the network with --allow-private to test it.` };
    case 'other':
      return { status: 'error', note: `The tool could not fetch it: ${e.message}` };
    default:
      return { status: 'fail', note: e.message };
  }
}

function remediationFor(d: CrlDownload): Remediation[] {
  const r = d.fetch;
  const url = r.url;
  let host = url;
  try {
    host = new URL(url).hostname;
  } catch {
    /* malformed: the message says so */
  }
  switch (r.error?.kind) {
    case 'dns':
      return [{ text: `Publish a public DNS record for ${host}, so devices, the Web Application Proxy, AD FS and Entra ID can resolve it.`, command: `Resolve-DnsName ${psQuote(host)}` }];
    case 'refused':
    case 'timeout':
    case 'reset':
      return [
        {
          text: `Make ${url} reachable from the Internet (and from the AD FS servers through their proxy: the AD FS service account and the WAP computer account need outbound access). Test from an AD FS or WAP server:`,
          command: downloadCommand(url),
        },
      ];
    case 'tls':
      return [{ text: `Fix the HTTPS certificate of ${host}, or better publish the CRL over plain http:// (a CRL is signed and needs no TLS).` }];
    case 'http': {
      const out: Remediation[] = [];
      if (r.httpStatus === 404 && url.includes('+'))
        out.push({
          text: 'IIS rejects the "+" in delta CRL file names unless double escaping is allowed on the CRL folder:',
          command: '%windir%\\system32\\inetsrv\\appcmd set config "Default Web Site/CertEnroll" -section:system.webServer/security/requestFiltering -allowDoubleEscaping:true',
        });
      else if (r.httpStatus === 404) out.push({ text: `Publish the CRL file at ${url} (on AD CS run \`certutil -crl\`, then copy the CertEnroll folder to the web server).`, command: 'certutil -crl' });
      else if (r.httpStatus === 403) out.push({ text: `A firewall, proxy or web application firewall refuses ${url}. Allow anonymous GET requests to the CRL folder from anywhere.` });
      else out.push({ text: `Make ${url} answer 200 with the CRL file (it answered: ${failureText(d)}).` });
      out.push({ text: 'Test from an AD FS or WAP server:', command: downloadCommand(url) });
      return out;
    }
    case 'blocked':
      if (!r.error.privateOnly)
        return [{ text: `${url}${r.redirects.length ? ' redirects to' : ' points to'} an address or scheme that is never fetched (${r.error.message}). Publish the CRL at a plain http:// URL on a public host name, without redirects to other places.` }];
      return [{ text: `${host} resolves to an internal address. Publish the CRL on a host name that resolves to a public address, or run this diagnosis inside the network with --allow-private (CBA_DOCTOR_ALLOW_PRIVATE=1) to test it.` }];
    case 'url':
      return [{ text: `The CRL URL in the certificate is malformed (${url}). Fix CRLPublicationURLs on the CA and renew the certificate.` }];
    default:
      return [];
  }
}

/** LDAP and file: locations are listed, not fetched, so the reader sees every URL the path names. */
function notFetched(a: Artifacts) {
  return crlTargets(a.chain, a.crlFiles)
    .filter((t) => !t.coveredByFile)
    .flatMap((t) =>
      [...t.cdpUrls.map((url) => ({ url, kind: 'base' as const })), ...t.freshestUrls.map((url) => ({ url, kind: 'delta' as const }))]
        .filter((u) => !isFetchable(u.url))
        .map((u) => ({
          ...u,
          scheme: urlScheme(u.url),
          certificate: t.cert.cert.subject.display,
          ca: t.caName,
          status: 'skip' as const,
          note: `${urlScheme(u.url).toUpperCase()} locations are not fetched: only http and https CRL URLs are downloaded (see crl.location).`,
        })),
    );
}

export const crlFetch: CheckDef = {
  id: 'crl.fetch',
  category: 'crl',
  title: 'CRLs download',
  description:
    'Every HTTP(S) CRL URL of the path is downloaded, as AD FS and Entra ID would: it must answer 200 with the CRL. A DNS failure, a refused or silent connection, a TLS error or another HTTP status means the CRL cannot be checked and sign-in fails. Delta CRLs named by Freshest CRL are fetched too.',
  citation: 'KB 4032987 (CRL endpoints must be resolvable and reachable from the Internet)',
  reference: KB_CBA_URL,
  // The verdict depends on the target, which realm discovery may refine: wait for it.
  needs: ['chain', 'crlDownloads', 'realm'],
  applies: downloadsApply,
  run(a) {
    const downloads = a.crlDownloads!;
    const rows = downloads.map((d) => {
      const j = judge(d, a.target);
      const r = d.fetch;
      return {
        ...downloadId(a, d),
        status: j.status,
        note: j.note,
        httpStatus: r.httpStatus ?? null,
        error: r.error ?? null,
        contentType: r.contentType ?? null,
        bytes: r.bytes,
        ttfbMs: r.ttfbMs ?? null,
        totalMs: r.totalMs,
        address: r.address ?? null,
        redirects: r.redirects,
        finalUrl: r.finalUrl ?? null,
      };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = { target: a.target, downloads: rows, notFetched: notFetched(a), givenAsFiles: coveredByFiles(a) };
    const bad = downloads.filter((_, i) => rows[i].status === 'fail' || rows[i].status === 'warn' || rows[i].status === 'error');
    if (!bad.length) return { status, summary: `All ${rows.length} CRL URL(s) answered 200 with a body.`, evidence };
    const seen = new Set<string>();
    const remediation = bad.flatMap(remediationFor).filter((r) => !seen.has(r.text) && seen.add(r.text));
    return {
      status,
      summary: `${bad.length} of ${rows.length} CRL URL(s) could not be downloaded: ${bad.map((d) => `${d.fetch.url} (${failureText(d)})`).join('; ')}.`,
      evidence,
      remediation,
    };
  },
};
