import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { SslBinding } from '@/lib/paste/types';
import type { Artifacts } from '@/lib/report/artifacts';
import { blocksOf, chainCas, lineAt, said } from './common';
import { findCa, storeBlocks } from './stores';

/** A-FAQ: the application id AD FS registers its http.sys bindings with. */
const ADFS_APPID = '{5d89a20c-beab-4389-9447-324788eb944a}';
const PROPS = 'Get-AdfsProperties | Format-List HostName, HttpsPort, TlsClientPort';

interface Finding {
  status: Status;
  text: string;
}

// Only values of these shapes reach a command (no cmd or PowerShell metacharacter can come from a paste).
const HEX = /^[0-9a-f]{40}$/;
const HOST = /^[a-z0-9.-]{1,253}$/;
const STORE = /^[A-Za-z0-9_]{1,64}$/;

function facts(a: Artifacts) {
  const props = blocksOf(a, 'adfs-properties')[0];
  const ssl = blocksOf(a, 'adfs-ssl-certificate')[0];
  const netsh = blocksOf(a, 'netsh-sslcert')[0];
  const host =
    props?.data.hostName?.value ??
    a.input.federationHost?.toLowerCase() ??
    ssl?.data.bindings.find((b) => b.hostName && b.port === 443 && !/^(localhost|enterpriseregistration\.|certauth\.)/.test(b.hostName))?.hostName ??
    null;
  const httpsPort = props?.data.httpsPort?.value ?? 443;
  const tlsPort = props?.data.tlsClientPort?.value ?? a.input.tlsClientPort ?? null;
  // The AD FS SSL certificate: what Get-AdfsSslCertificate lists for the federation name on the HTTPS port.
  const main = ssl?.data.bindings.find((b) => b.hostName === host && b.port === httpsPort) ?? ssl?.data.bindings.find((b) => b.certificateHash);
  return { props, ssl, netsh, host, httpsPort, tlsPort, adfsHash: main?.certificateHash ?? null, main };
}

export const configAdfsBindings: CheckDef = {
  id: 'config.adfs-bindings',
  category: 'config',
  title: 'AD FS bindings match its ports and its SSL certificate',
  description:
    "AD FS listens for certificate sign-in on its TLS client port (TlsClientPort, 49443 by default) or, with the alternate binding, on certauth.<federation name>:443. The http.sys binding there must exist, carry the AD FS SSL certificate and the AD FS application id, ask for a client certificate, and have no CTL store that would narrow the CAs a device may use.",
  citation: 'A-UCA (certificate authentication endpoint); A-FAQ (binding application id); CHECKS.md config.adfs-bindings',
  reference: 'https://learn.microsoft.com/windows-server/identity/ad-fs/operations/configure-user-certificate-authentication',
  needs: ['paste', 'chain'],
  applies(a) {
    if (blocksOf(a, 'adfs-properties', 'adfs-ssl-certificate').length) return true;
    return a.paste ? `No output of ${PROPS} or Get-AdfsSslCertificate was found in what was pasted.` : `Nothing was pasted (paste the output of ${PROPS}, Get-AdfsSslCertificate and netsh http show sslcert to run this check).`;
  },
  run(a): Outcome {
    const f = facts(a);
    const { props, ssl, netsh, host, tlsPort } = f;
    const findings: Finding[] = [];
    const port = tlsPort ?? 49443;
    const portSaid = props?.data.tlsClientPort ? said(props.data.tlsClientPort, props) : tlsPort ? 'the port given' : '49443, the default: TlsClientPort was not pasted';
    const h = host ?? '<federation host>';
    const isCertEndpoint = (bh: string | null, bp: number | null) => (bp === port && (!host || bh === host || bh === null)) || (bp === 443 && !!host && bh === `certauth.${host}`);

    // 1. A binding for certificate sign-in: in Get-AdfsSslCertificate and in http.sys.
    const sslCert = ssl?.data.bindings.filter((b) => isCertEndpoint(b.hostName, b.port)) ?? [];
    const netshCert: SslBinding[] = netsh?.data.bindings.filter((b) => isCertEndpoint(b.endpointType === 'ipport' ? null : b.host, b.port)) ?? [];
    if (ssl) {
      if (sslCert.length) findings.push({ status: 'pass', text: `Get-AdfsSslCertificate lists the certificate endpoint ${sslCert.map((b) => `${b.hostName}:${b.port} (${lineAt(b.line, ssl)})`).join(', ')} (TLS client port ${port}: ${portSaid})` });
      else findings.push({ status: 'fail', text: `Get-AdfsSslCertificate lists no binding for ${h}:${port} or certauth.${h}:443 (TLS client port ${port}: ${portSaid}); its bindings: ${ssl.data.bindings.map((b) => `${b.hostName}:${b.port}`).join(', ')}` });
    }
    if (netsh) {
      if (!netshCert.length) findings.push({ status: 'fail', text: `http.sys has no binding for ${h}:${port} or certauth.${h}:443 (netsh http show sslcert lists ${netsh.data.bindings.map((b) => b.endpoint).join(', ')}), so certificate sign-in has no listener` });
    } else findings.push({ status: 'info', text: 'netsh http show sslcert was not pasted: the http.sys bindings themselves (application id, client certificate negotiation, CTL store) were not checked' });

    // 2. Every AD FS binding carries the AD FS SSL certificate.
    if (f.adfsHash && ssl) {
      const sslOdd = ssl.data.bindings.filter((b) => b.certificateHash && b.certificateHash !== f.adfsHash);
      for (const b of sslOdd) findings.push({ status: 'fail', text: `Get-AdfsSslCertificate: ${b.hostName}:${b.port} uses certificate ${b.certificateHash}, not the AD FS SSL certificate ${f.adfsHash} (${lineAt(b.line, ssl)})` });
      if (netsh) {
        const adfsNetsh = netsh.data.bindings.filter((b) => (b.applicationId ?? '').toLowerCase() === ADFS_APPID || netshCert.includes(b));
        for (const b of adfsNetsh.filter((x) => x.certificateHash && x.certificateHash !== f.adfsHash))
          findings.push({ status: 'fail', text: `http.sys binding ${b.endpoint} (${lineAt(b.line, netsh)}) uses certificate ${b.certificateHash}, not the AD FS SSL certificate ${f.adfsHash} (${lineAt(f.main!.line, ssl)})` });
        if (adfsNetsh.length && adfsNetsh.every((x) => x.certificateHash === f.adfsHash)) findings.push({ status: 'pass', text: `Every AD FS binding in http.sys (${adfsNetsh.length}) carries the AD FS SSL certificate ${f.adfsHash}` });
      }
    }

    // 3. The certificate binding itself: application id, negotiation, CTL store.
    const chain = chainCas(a);
    for (const b of netshCert) {
      const at = `${b.endpoint} (${lineAt(b.line, netsh!)})`;
      const appid = (b.applicationId ?? '').toLowerCase();
      if (appid !== ADFS_APPID) findings.push({ status: 'fail', text: `The certificate binding ${at} belongs to application ${b.applicationId ?? '(none printed)'}, not AD FS ${ADFS_APPID}` });
      if (b.negotiateClientCertificate?.value !== true)
        findings.push({ status: 'fail', text: `The certificate binding ${at} does not negotiate client certificates (${b.negotiateClientCertificate ? said(b.negotiateClientCertificate, netsh!) : 'not printed'})` });
      const ctl = b.ctlStoreName?.value;
      if (ctl) {
        const listed = storeBlocks(a, (s) => (s.data.store ?? '').toLowerCase() === ctl.toLowerCase());
        const inside = chain && listed.length ? chain.map((ca) => ({ ca, hit: findCa(ca, listed) })).filter((x) => x.hit?.by === 'thumbprint') : [];
        if (listed.length && inside.length)
          findings.push({ status: 'warn', text: `The certificate binding ${at} uses the CTL store ${ctl} (${said(b.ctlStoreName!, netsh!)}); its pasted contents hold ${inside.map((x) => x.ca.subject).join(' and ')}, so the user's CA is named, but every other CA is left out for all users` });
        else
          findings.push({
            status: 'fail',
            text: `The certificate binding ${at} uses the CTL store ${ctl} (${said(b.ctlStoreName!, netsh!)})${listed.length ? `, and its pasted contents hold none of the user's CAs` : ` and its contents were not pasted (certutil -store ${STORE.test(ctl) ? ctl : '<store>'})`}: the CA list sent to devices comes from that store`,
          });
      } else if (appid === ADFS_APPID && b.negotiateClientCertificate?.value === true) findings.push({ status: 'pass', text: `The certificate binding ${at} is the AD FS application's, negotiates client certificates and uses no CTL store` });
    }

    const status = worst(findings.map((x) => x.status), 'pass');
    const evidence = {
      federationHost: host,
      httpsPort: f.httpsPort,
      tlsClientPort: { value: port, from: props?.data.tlsClientPort ? 'Get-AdfsProperties' : tlsPort ? 'input' : 'default' },
      adfsSslCertificate: f.adfsHash,
      adfsSslBindings: ssl?.data.bindings.map((b) => ({ hostName: b.hostName, port: b.port, certificateHash: b.certificateHash, line: b.line })) ?? null,
      httpSysCertificateBindings: netshCert.map((b) => ({ endpoint: b.endpoint, applicationId: b.applicationId, certificateHash: b.certificateHash, negotiateClientCertificate: b.negotiateClientCertificate?.value ?? null, ctlStoreName: b.ctlStoreName?.value ?? null, line: b.line })),
      findings: findings.map((x) => ({ status: x.status, finding: x.text })),
    };
    const bad = findings.filter((x) => x.status === 'fail' || x.status === 'warn');
    const summary = `${(bad.length ? bad : findings).map((x) => x.text).join('. ')}.`;
    if (status === 'pass' || status === 'info') return { status, summary, evidence };
    const hash = f.adfsHash && HEX.test(f.adfsHash) ? f.adfsHash : '<AD FS SSL certificate thumbprint>';
    const remediation: Remediation[] = [
      {
        text: 'Let AD FS rebuild its HTTPS bindings, the certificate endpoint included, from its SSL certificate (on AD FS 2016 and later run it on the primary server; on Web Application Proxy servers use Set-WebApplicationProxySslCertificate with the same thumbprint):',
        command: `Set-AdfsSslCertificate -Thumbprint ${hash}`,
      },
      ...(host && HOST.test(host) && bad.some((x) => /CTL store|negotiate/i.test(x.text))
        ? [{ text: 'Or fix the certificate binding by hand in an elevated Command Prompt (cmd.exe: PowerShell would read the braces of the application id), with no CTL store and client certificate negotiation on:', command: `netsh http delete sslcert hostnameport=${host}:${port}\nnetsh http add sslcert hostnameport=${host}:${port} certhash=${hash} appid=${ADFS_APPID} certstorename=MY clientcertnegotiation=enable` }]
        : []),
      { text: 'Check the result:', command: `Get-AdfsSslCertificate\nnetsh http show sslcert${host && HOST.test(host) ? ` hostnameport=${host}:${port}` : ''}` },
    ];
    return { status, summary, evidence, remediation };
  },
};
