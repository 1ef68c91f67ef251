import type { BindingTlsProbe } from '@/lib/adfs/binding-tls';
import type { BindingTlsTargetResult } from '@/lib/adfs/types';
import type { Remediation, Status } from '@/lib/report/schema';
import { worst, type CheckDef, type Outcome } from '../types';
import { addressRemediation, adfsApplies, ADFS_CERT_AUTH_URL, combine, hasProblem, targetFacts, unreachableTarget, type TargetVerdict } from './shared';

/** Connection failures are adfs.cert-port's and adfs.https's findings; here they only mean "not tested". */
const NOT_CONNECTED = new Set(['refused', 'timeout', 'unreachable', 'dns']);

type Role = 'certificate' | 'https';

function versionFacts(p: BindingTlsProbe) {
  return p.versions.map((v) => ({ version: v.version, outcome: v.outcome, note: v.note ?? null }));
}

function judge(t: BindingTlsTargetResult, role: Role, alternate: boolean): TargetVerdict {
  const label = role === 'certificate' ? 'certificate endpoint' : 'HTTPS endpoint';
  const unreachable = unreachableTarget(t);
  if (unreachable) return { ...unreachable, target: `${t.target} (${label})` };
  const p = t.probe!;
  const where = `${p.servername}:${p.port}`;
  const m = p.main;
  const sent = m.chain ?? [];
  const evidence: Record<string, unknown> = {
    ...targetFacts(t),
    endpoint: label,
    servername: p.servername,
    port: p.port,
    handshake: m.ok ? 'ok' : m.error?.message ?? 'failed',
    tlsVersion: m.protocol ?? null,
    alpnOffered: 'h2, http/1.1',
    alpnChosen: m.ok ? (m.alpn ?? 'none (the server ignored ALPN: HTTP/1.1)') : null,
    certificatesSent: sent.map((c) => ({ subject: c.subject, issuer: c.issuer, ca: c.ca, selfIssued: c.selfIssued })),
    intermediatesMissing: p.intermediatesMissing ?? null,
    nameMatch: m.nameMatch ?? null,
    nameError: m.nameError ?? null,
    withoutSni: p.noSni.ok ? `ok (${p.noSni.protocol})` : p.noSni.error?.message ?? 'failed',
    versions: versionFacts(p),
  };
  const v = (status: Status, problem?: string[], reason?: string): TargetVerdict => ({ target: `${t.target} (${label} ${where})`, status, problem, reason, evidence });
  if (!m.ok) {
    if (m.error?.kind === 'blocked') return v('error', ['blocked'], m.error.message);
    if (NOT_CONNECTED.has(m.error?.kind ?? '')) return v('skip', undefined, `not tested: no connection to ${where} (${m.error?.message})`);
    return v('fail', ['handshake'], `the TLS handshake with ${where} failed: ${m.error?.message ?? 'unknown error'}`);
  }
  const parts: { status: Status; problem?: string; reason: string }[] = [];
  if (role === 'certificate' && m.alpn === 'h2')
    parts.push({ status: 'fail', problem: 'h2', reason: `offered h2 and http/1.1, the server chose HTTP/2 (h2), which cannot carry client certificate authentication` });
  else if (m.alpn === 'h2') parts.push({ status: 'info', reason: 'HTTP/2 is chosen on this endpoint (fine here: certificates are not requested on it)' });
  if (role === 'certificate' && m.nameMatch === false)
    parts.push({
      status: 'fail',
      problem: alternate ? 'certauth-name' : 'name',
      reason: alternate ? `the certificate served for ${p.servername} does not cover that name (${m.nameError ?? 'no matching SAN'}): the alternate binding needs it in the SSL certificate` : `the certificate served does not cover ${p.servername} (${m.nameError ?? 'no matching SAN'})`,
    });
  if (p.intermediatesMissing) {
    const leaf = sent[0];
    parts.push({ status: 'warn', problem: 'chain', reason: `the server sends only ${sent.length === 1 ? 'its own certificate' : `${sent.length} certificates without a CA`}, not the intermediate CA (${leaf?.issuer ?? 'its issuer'}); Android clients do not fetch it and fail` });
  }
  const acc = (x: string) => p.versions.find((y) => y.version === x)?.outcome;
  if (acc('TLSv1.2') === 'refused' && acc('TLSv1.3') === 'accepted') parts.push({ status: 'warn', problem: 'tls13-only', reason: 'only TLS 1.3 is accepted: clients without TLS 1.3 cannot connect' });
  const legacy = p.versions.filter((x) => (x.version === 'TLSv1' || x.version === 'TLSv1.1') && x.outcome === 'accepted').map((x) => x.version);
  const untestable = p.versions.filter((x) => x.outcome === 'untestable').map((x) => x.version);
  const notes = [
    ...(!p.noSni.ok ? ['a handshake without SNI fails (clients that send no server name cannot connect)'] : []),
    ...(legacy.length ? [`legacy ${legacy.join(' and ')} accepted`] : []),
    ...(untestable.length ? [`${untestable.join(' and ')} not testable from here`] : []),
  ];
  const status = worst(parts.map((x) => x.status), 'pass');
  const bad = parts.filter((x) => x.status === 'fail' || x.status === 'warn');
  const accepted = p.versions.filter((x) => x.outcome === 'accepted').map((x) => x.version.replace('TLSv', 'TLS '));
  const fine = `${where}: ${m.alpn ?? 'http/1.1'} over ${m.protocol}, ${sent.length} certificate${sent.length === 1 ? '' : 's'} sent, versions accepted: ${accepted.join(', ') || 'none'}${notes.length ? `; ${notes.join('; ')}` : ''}`;
  if (!bad.length) return { ...v(status, undefined, fine), status: parts.some((x) => x.status === 'info') ? 'pass' : status };
  return v(status, bad.map((x) => x.problem!).filter(Boolean), `${bad.map((x) => x.reason).join('; ')}${notes.length ? ` (also: ${notes.join('; ')})` : ''}`);
}

export const adfsCertBindingTls: CheckDef = {
  id: 'adfs.cert-binding-tls',
  category: 'adfs',
  title: 'TLS on the certificate binding works for the clients that use it',
  description:
    'Devices reach AD FS certificate sign-in over TLS on the certificate endpoint (port 49443, or certauth.<host> on 443). The server must not pick HTTP/2 there (it cannot carry client certificate authentication), must serve a certificate for the name used, should send its intermediate CA certificates (Android does not fetch them), and should accept the TLS versions clients speak. The HTTPS endpoint on 443 is probed the same way for comparison.',
  citation: 'A-FAQ (HTTP/2, Android chains, SNI); A-UCA (certificate endpoint, alternate binding); CHECKS.md adfs.cert-binding-tls',
  reference: ADFS_CERT_AUTH_URL,
  needs: ['adfsBindingTls'],
  applies: (a) => adfsApplies(a, 'adfsBindingTls'),
  run(a): Outcome {
    const d = a.adfsBindingTls!;
    const alternate = d.binding.kind === 'certauth';
    const verdicts = [...d.certificate.map((t) => judge(t, 'certificate', alternate)), ...d.https.map((t) => judge(t, 'https', alternate))];
    const remediation: Remediation[] = [...addressRemediation(verdicts, d.host)];
    if (hasProblem(verdicts, 'h2'))
      remediation.push({
        text: 'Turn HTTP/2 over TLS off in http.sys on every AD FS and Web Application Proxy server that chose it, then restart the server:',
        command: 'reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters /v EnableHttp2Tls /t REG_DWORD /d 0 /f',
      });
    if (hasProblem(verdicts, 'certauth-name'))
      remediation.push({
        text: `Get an SSL certificate whose SAN holds both ${d.host} and certauth.${d.host}, install it on every server, and bind it (on the primary AD FS server):`,
        command: 'Set-AdfsAlternateTlsClientBinding -Thumbprint <thumbprint of the new certificate>',
      });
    if (hasProblem(verdicts, 'chain'))
      remediation.push({
        text: "Import the intermediate CA certificate of the SSL certificate into the computer's Intermediate Certification Authorities store on every AD FS and Web Application Proxy server (http.sys then sends it), and check again:",
        command: 'certutil -addstore -f CA intermediate.cer',
      });
    if (hasProblem(verdicts, 'tls13-only'))
      remediation.push({ text: 'Enable TLS 1.2 for the server side of Schannel (HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Server, Enabled = 1) unless every client speaks TLS 1.3.' });
    const out = combine(verdicts, { pass: 'The certificate binding and the HTTPS endpoint negotiate HTTP/1.1, serve a certificate for the name used and send their intermediates', subject: 'TLS on the AD FS endpoints' }, {
      evidence: { host: d.host, binding: d.binding, httpsPort: d.httpsPort, basis: 'Each handshake offers h2 and http/1.1; the certificates are those the server sent, with no AIA fetching (a trusted root the server left out is added by this tool\'s TLS library); TLS 1.0 and 1.1 are tried with OpenSSL\'s security level lowered for that probe only.' },
      remediation,
    });
    // Every target skipped (no connection): the port and HTTPS checks report that; nothing was tested here.
    if (verdicts.every((x) => x.status === 'skip')) return { ...out, status: 'skip', summary: `Not tested: no TLS connection to the AD FS endpoints (see adfs.cert-port and adfs.https).` };
    return { ...out, status: worst(verdicts.map((x) => x.status)) };
  },
};
