import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import { schannelValue } from '@/lib/paste/reg-schannel';
import { blocksOf, chainCas, lineAt, origin, said, type ChainCa } from './common';
import { findCa, isClientAuthIssuer, safeCn, storeBlocks, type StoreBlock } from './stores';

const REG = 'reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL';
const CAI = 'certutil -store ClientAuthIssuer';
/** S-TLS: Schannel sends at most 16 KB of issuer names. */
const LIST_LIMIT = 16 * 1024;
/**
 * The size is estimated from the names as certutil prints them; the string types and the exact encoding are not
 * printed, so the estimate can be off by about a tenth. Within that margin of the limit the check warns instead
 * of passing (adfs.client-cert-request measures the list the server really sends).
 */
const ESTIMATE_MARGIN = 0.1;

const MODES: Record<number, string> = { 0: 'machine trust (the default)', 1: 'exclusive root trust', 2: 'exclusive CA trust' };

/** DER size of a distinguished name as certutil prints it ("CN=x, O=y"), plus the 2-byte length in the TLS list. */
export function estimatedNameBytes(dn: string): number {
  const rdns = dn.split(/,(?=\s*[A-Za-z][A-Za-z0-9.]*=)/).map((x) => x.trim()).filter(Boolean);
  // Per RDN: SET + SEQUENCE + OID (3-byte short-name OIDs; DC and E are longer) + string header.
  const body = rdns.reduce((n, r) => {
    const v = r.slice(r.indexOf('=') + 1);
    const oid = /^(DC|E|EMAIL)=/i.test(r) ? 12 : 5;
    return n + 2 + 2 + oid + 2 + Buffer.byteLength(v, 'utf8');
  }, 0);
  return body + (body > 127 ? 3 : 2) + 2;
}

interface Finding {
  status: Status;
  text: string;
  fix?: Remediation;
}

function caFile(ca: ChainCa): string {
  return `${safeCn(ca.subject, ca.root ? 'RootCA' : 'IssuingCA')}.cer`.replace(/ /g, '_');
}

export const configSchannel: CheckDef = {
  id: 'config.schannel',
  category: 'config',
  title: "Schannel's trusted issuers let the user's CA through",
  description:
    "Windows decides which client certificates a TLS server accepts, and which CA names it sends when it asks for one, from the SCHANNEL registry key and the Client Authentication Issuers store. ClientAuthTrustMode 1 or 2 accepts only certificates that chain to a CA in that store; a non-empty store replaces the list of CA names sent to clients; SendTrustedIssuerList makes the server send that list (at most 16 KB), and devices offer only certificates from the CAs named.",
  citation: 'S-TLS (Schannel: trusted issuers for client authentication); CHECKS.md config.schannel',
  reference: 'https://learn.microsoft.com/windows-server/security/tls/what-s-new-in-tls-ssl-schannel-ssp-overview#BKMK_TrustedIssuers',
  needs: ['paste', 'chain'],
  applies(a) {
    if (blocksOf(a, 'reg-schannel').length || storeBlocks(a, isClientAuthIssuer).length) return true;
    return a.paste ? `No output of ${REG} or ${CAI} was found in what was pasted.` : `Nothing was pasted (paste the output of ${REG} and ${CAI} to run this check).`;
  },
  run(a): Outcome {
    const reg = blocksOf(a, 'reg-schannel')[0];
    const cai: StoreBlock[] = storeBlocks(a, isClientAuthIssuer);
    const chain = chainCas(a);
    const modeV = reg ? schannelValue(reg.data, 'ClientAuthTrustMode') : null;
    const sendV = reg ? schannelValue(reg.data, 'SendTrustedIssuerList') : null;
    // Absent values are the Windows defaults (S-TLS): machine trust, and no list sent since Windows Server 2012.
    const mode = reg ? (modeV?.number ?? 0) : null;
    const send = reg ? (sendV?.number ?? 0) : null;
    const caiCerts = cai.flatMap((b) => b.data.certificates);
    const caiEmpty = cai.length > 0 && caiCerts.length === 0;
    const findings: Finding[] = [];
    const root = chain?.find((c) => c.root) ?? null;
    const hits = (chain ?? []).map((ca) => ({ ca, hit: findCa(ca, cai) }));
    const named = hits.filter((h) => h.hit?.by === 'thumbprint');
    const where = (h: (typeof hits)[number]) => (h.hit ? ` (${lineAt(h.hit.cert.line, h.hit.block)})` : '');
    const addFix = (ca: ChainCa): Remediation => ({
      text: `Add ${ca.subject} to the Client Authentication Issuers store on this server (export it to ${caFile(ca)} first):`,
      command: `certutil -addstore -f ClientAuthIssuer ${caFile(ca)}`,
    });

    if (mode === 1 || mode === 2) {
      const modeText = `ClientAuthTrustMode is ${mode}, ${MODES[mode]} (${said(modeV!, reg)})`;
      if (!cai.length) findings.push({ status: 'warn', text: `${modeText}: only certificates that chain to a CA in the Client Authentication Issuers store are accepted; paste the output of ${CAI} to check it holds the user's ${mode === 1 ? 'root' : 'root or issuing'} CA` });
      else if (!chain) findings.push({ status: 'warn', text: `${modeText}; upload the user's certificate chain to check the Client Authentication Issuers store holds its CAs` });
      else {
        const rootHit = hits.find((h) => h.ca.root && h.hit?.by === 'thumbprint');
        const ok = mode === 1 ? rootHit : named[0];
        if (ok) findings.push({ status: 'pass', text: `${modeText}, and ${ok.ca.subject} is in the Client Authentication Issuers store${where(ok)}` });
        else {
          const need = mode === 1 || !chain[0] ? root : chain[0];
          findings.push({
            status: 'fail',
            text: `${modeText}, but the Client Authentication Issuers store holds ${mode === 1 ? "not the user's root" : "neither the user's root nor an intermediate of its chain"}${caiCerts.length ? ` (it lists ${caiCerts.map((c) => c.subject ?? c.sha1).join('; ')})` : ' (it is empty)'}, so Schannel rejects the user's certificate`,
            ...(need ? { fix: addFix(need) } : {}),
          });
        }
      }
    } else if (mode === 0 && modeV) findings.push({ status: 'pass', text: `ClientAuthTrustMode is 0, machine trust (${said(modeV, reg)})` });

    if (caiCerts.length && chain && !named.length && mode !== 1 && mode !== 2) {
      const sent = send === 1;
      findings.push({
        status: sent ? 'fail' : 'warn',
        text: `The Client Authentication Issuers store is not empty (${caiCerts.length} certificate${caiCerts.length === 1 ? '' : 's'}: ${caiCerts.map((c) => c.subject ?? c.sha1).join('; ')}) and holds none of the user's CAs: ${sent ? 'it is the list of CA names the server sends, so devices do not offer the user certificate' : 'Schannel uses it as the trusted issuer list (sent to clients when SendTrustedIssuerList is 1, enforced under ClientAuthTrustMode 1 or 2)'}`,
        fix: root ? addFix(chain[0] ?? root) : undefined,
      });
    } else if (caiEmpty) findings.push({ status: 'pass', text: `The Client Authentication Issuers store is empty (${lineAt(cai[0].firstLine, cai[0])}), the Windows default` });
    else if (named.length && !(mode === 1 || mode === 2)) findings.push({ status: 'pass', text: `The Client Authentication Issuers store holds ${named.map((h) => `${h.ca.subject}${where(h)}`).join(' and ')}` });

    let listBytes: number | null = null;
    if (send === 1) {
      const source = caiCerts.length ? caiCerts : null;
      listBytes = source ? source.reduce((n, c) => n + (c.subject ? estimatedNameBytes(c.subject) : 0), 0) : null;
      const base = `SendTrustedIssuerList is 1 (${said(sendV!, reg)}): the server sends the names of the CAs it trusts`;
      if (listBytes === null)
        findings.push({ status: 'info', text: `${base}, taken from the Trusted Root store because the Client Authentication Issuers store ${cai.length ? 'is empty' : 'was not pasted'}; adfs.client-cert-request measures the list the server really sends (limit 16 KB)` });
      else if (listBytes > LIST_LIMIT)
        findings.push({ status: 'fail', text: `${base}, about ${(listBytes / 1024).toFixed(1)} KB of names from the Client Authentication Issuers store: more than the 16 KB Schannel sends, so the list is cut and clients may not see the user's CA`, fix: { text: 'Stop sending the list (the Windows default since Windows Server 2012), then restart the server:', command: 'reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL /v SendTrustedIssuerList /t REG_DWORD /d 0 /f' } });
      else if (listBytes > LIST_LIMIT * (1 - ESTIMATE_MARGIN))
        findings.push({ status: 'warn', text: `${base}, about ${(listBytes / 1024).toFixed(1)} KB of names: within the estimate's margin of the 16 KB limit (adfs.client-cert-request measures the real size)` });
      else findings.push({ status: 'pass', text: `${base}, about ${(listBytes / 1024).toFixed(1)} KB of names, under the 16 KB limit` });
    } else if (send === 0 && sendV) findings.push({ status: 'pass', text: `SendTrustedIssuerList is 0 (${said(sendV, reg)}): no CA list is sent, the Windows default` });

    if (reg && !modeV && !sendV) findings.push({ status: 'pass', text: 'Neither ClientAuthTrustMode nor SendTrustedIssuerList is set: the Windows defaults (machine trust, no CA list sent)' });
    if (!reg) findings.push({ status: 'info', text: `The SCHANNEL registry values were not pasted (${REG}); without them the trust mode is not known` });

    const status = worst(findings.map((f) => f.status), 'pass');
    const evidence = {
      registry: reg ? { ...origin(reg), clientAuthTrustMode: modeV ? { value: modeV.number, line: modeV.line, text: modeV.text } : 'not set (0, machine trust)', sendTrustedIssuerList: sendV ? { value: sendV.number, line: sendV.line, text: sendV.text } : 'not set (0)' } : null,
      clientAuthIssuerStore: cai.map((b) => ({ ...origin(b), certificates: b.data.certificates.map((c) => ({ subject: c.subject, sha1: c.sha1, line: c.line })) })),
      chainCas: hits.map((h) => ({ ca: h.ca.subject, inClientAuthIssuer: h.hit ? h.hit.by : 'no' })),
      ...(listBytes !== null ? { estimatedListBytes: listBytes, listLimitBytes: LIST_LIMIT, estimate: 'from the subject names as certutil printed them; the string encodings are not printed, so it can be off by about 10%' } : {}),
      findings: findings.map((f) => ({ status: f.status, finding: f.text })),
    };
    const bad = findings.filter((f) => f.status === 'fail' || f.status === 'warn');
    const shown = bad.length ? bad : findings;
    const summary = `${shown.map((f) => f.text).join('. ')}.`;
    const remediation = bad.map((f) => f.fix).filter((x): x is Remediation => !!x);
    return { status, summary, evidence, ...(remediation.length ? { remediation } : {}) };
  },
};
