import { inertArg } from '@/lib/commands/native';
import { fix } from '@/lib/commands/windows';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { PasteBlockOf, SslBinding } from '@/lib/paste/types';
import { blocksOf, lineAt, lineRef, origin, pasted, said } from './common';

/** The application id AD FS registers its http.sys bindings with. */
const ADFS_APPID = '{5d89a20c-beab-4389-9447-324788eb944a}';

function federationHost(a: Parameters<CheckDef['run']>[0], bindings: SslBinding[]): string | null {
  if (a.input.federationHost) return a.input.federationHost.toLowerCase();
  for (const b of blocksOf(a, 'msol-federation', 'mg-federation')) if (b.data.federationHost) return b.data.federationHost;
  const main = bindings.find(
    (x) => x.endpointType === 'hostnameport' && x.port === 443 && x.host && !/^(localhost|enterpriseregistration\.|certauth\.)/.test(x.host) && (x.applicationId ?? '').toLowerCase() === ADFS_APPID,
  );
  return main?.host ?? null;
}

function judgeBinding(x: SslBinding, blk: PasteBlockOf<'netsh-sslcert'>): { status: Status; why: string } {
  const problems: string[] = [];
  let status: Status = 'pass';
  if (x.ctlStoreName?.value) {
    status = 'fail';
    problems.push(
      /^AdfsTrustedDevices$/i.test(x.ctlStoreName.value)
        ? `it uses the CTL store AdfsTrustedDevices (${said(x.ctlStoreName, blk)}), the device-registration list, so the TLS request for a client certificate names the wrong issuers and devices do not offer the user certificate`
        : `it restricts client certificates to the CTL store ${x.ctlStoreName.value} (${said(x.ctlStoreName, blk)})`,
    );
  }
  if (x.negotiateClientCertificate?.value === false) {
    status = 'fail';
    problems.push(`client certificate negotiation is disabled (${said(x.negotiateClientCertificate, blk)})`);
  } else if (!x.negotiateClientCertificate || x.negotiateClientCertificate.value === null) {
    if (status === 'pass') status = 'warn';
    problems.push('the output does not say whether client certificate negotiation is enabled');
  }
  const name = `The binding ${x.endpoint} (${lineAt(x.line, blk)})`;
  if (!problems.length) return { status, why: `${name} negotiates client certificates and uses no CTL store` };
  return { status, why: `${name}: ${problems.join('; ')}` };
}

function judge(a: Parameters<CheckDef['run']>[0], blk: PasteBlockOf<'netsh-sslcert'>, port: number) {
  const bindings = blk.data.bindings;
  const host = federationHost(a, bindings);
  const certPort = bindings.filter((x) => x.port === port || (x.host?.startsWith('certauth.') && x.port === 443));
  const forHost = host ? certPort.filter((x) => x.endpointType !== 'hostnameport' || x.host === host || x.host === `certauth.${host}`) : certPort;
  const targets = forHost.map((x) => ({ x, ...judgeBinding(x, blk) }));
  let status: Status;
  let why: string;
  if (!targets.length) {
    status = 'fail';
    const other = certPort.map((x) => x.endpoint);
    why = `There is no binding for ${host ?? '<federation host>'}:${port} or certauth.${host ?? '<federation host>'}:443${other.length ? ` (bindings on that port: ${other.join(', ')})` : ''}, so TLS handshakes for certificate sign-in fail`;
  } else {
    status = worst(targets.map((t) => t.status));
    why = targets.map((t) => t.why).join('; ');
  }
  return { blk, host, targets, status, why };
}

function fixCommands(j: ReturnType<typeof judge>, port: number): Remediation[] {
  const bad = j.targets.find((t) => t.status !== 'pass')?.x;
  const ref = bad ?? j.blk.data.bindings.find((x) => x.host === j.host && x.port === 443) ?? j.blk.data.bindings.find((x) => x.certificateHash);
  const hash = ref?.certificateHash ?? '<certificate-thumbprint>';
  const appid = bad?.applicationId ?? ADFS_APPID;
  return sslcertFix({
    endpointType: bad ? (bad.endpointType === 'ipport' ? 'ipport' : 'hostnameport') : 'hostnameport',
    endpoint: bad ? bad.endpoint : `${j.host ?? '<federation-host>'}:${port}`,
    hash,
    appid,
    store: bad?.certificateStoreName ?? 'MY',
    recreate: !!bad,
  });
}

/**
 * The netsh lines that (re)create a binding. Every value comes from a paste, and netsh lines run in cmd.exe or
 * PowerShell: the endpoint, hash, application id and store name reach them only in their documented shapes.
 */
export function sslcertFix(v: { endpointType: 'ipport' | 'hostnameport'; endpoint: string; hash: string; appid: string; store: string; recreate: boolean }): Remediation[] {
  const text = `On each AD FS server (and on each Web Application Proxy for its own binding), ${v.recreate ? 'recreate' : 'create'} the certificate authentication binding with client certificate negotiation and without a CTL store:`;
  const placeholder = (x: string) => /^<[a-z-]+>$/.test(x);
  const endpointOk = placeholder(v.endpoint.split(':')[0]) ? /^<[a-z-]+>:\d{1,5}$/.test(v.endpoint) : !!inertArg(v.endpoint) && /:\d{1,5}$/.test(v.endpoint);
  const hashOk = /^[0-9A-Fa-f]{40,128}$/.test(v.hash) || placeholder(v.hash);
  // netsh wants the application id in braces; PowerShell would read a bare {...} as a script block, so it is quoted there.
  const appidOk = /^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/.test(v.appid);
  const storeOk = /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(v.store);
  const endpoint = `${v.endpointType}=${v.endpoint}`;
  const bad = !endpointOk ? ['the endpoint', v.endpoint] : !hashOk ? ['the certificate hash', v.hash] : !appidOk ? ['the application id', v.appid] : !storeOk ? ['the store name', v.store] : undefined;
  const out: Remediation[] = [
    bad
      ? fix(text, undefined, bad[0], bad[1])
      : { text, command: `${v.recreate ? `netsh http delete sslcert ${endpoint}\n` : ''}netsh http add sslcert ${endpoint} certhash=${v.hash} appid=${v.appid} certstorename=${v.store} clientcertnegotiation=enable` },
    {
      text: 'Alternatively let AD FS rebuild all its HTTPS bindings from its SSL certificate (on Web Application Proxy servers: Set-WebApplicationProxySslCertificate -Thumbprint with the same value):',
      command: `Set-AdfsSslCertificate -Thumbprint ${hashOk && !placeholder(v.hash) ? v.hash : '<certificate-thumbprint>'}`,
    },
  ];
  if (endpointOk) out.push({ text: 'Check it:', command: `netsh http show sslcert ${endpoint}` });
  return out;
}

export const configSslCert: CheckDef = {
  id: 'config.sslcert',
  category: 'config',
  title: 'TLS binding of the certificate authentication port',
  description:
    'The http.sys binding for <federation host>:49443 (or certauth.<federation host>:443) must ask the client for a certificate (Negotiate Client Certificate: Enabled) and must not carry a CTL store: AdfsTrustedDevices there replaces the list of acceptable issuers with the device-registration list.',
  citation: 'KB 4032987; CHECKS.md config.sslcert',
  reference: 'https://learn.microsoft.com/windows-server/administration/windows-commands/netsh-http',
  needs: ['paste'],
  applies: pasted('netsh-sslcert'),
  run(a): Outcome {
    const port = a.input.tlsClientPort ?? 49443;
    const judged = blocksOf(a, 'netsh-sslcert').map((b) => judge(a, b, port));
    const status = worst(judged.map((j) => j.status));
    const evidence = {
      port,
      federationHost: judged.find((j) => j.host)?.host ?? null,
      outputs: judged.map((j) => ({
        ...origin(j.blk),
        bindings: j.blk.data.bindings.map((x) => x.endpoint),
        certificateAuthenticationBindings: j.targets.map((t) => ({
          endpoint: t.x.endpoint,
          line: t.x.line,
          ctlStoreName: t.x.ctlStoreName?.value ?? null,
          negotiateClientCertificate: t.x.negotiateClientCertificate?.value ?? null,
          ctlStoreLine: lineRef(t.x.ctlStoreName),
          negotiateLine: lineRef(t.x.negotiateClientCertificate),
          certificateHash: t.x.certificateHash,
          status: t.status,
        })),
        status: j.status,
      })),
    };
    const summary = judged.map((j) => `${j.why}.`).join(' ');
    if (status === 'pass') return { status, summary, evidence };
    return { status, summary, evidence, remediation: fixCommands(judged.find((j) => j.status !== 'pass')!, port) };
  },
};
