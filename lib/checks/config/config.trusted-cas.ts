import { fileNameFrom } from '@/lib/commands/native';
import { psLiteral } from '@/lib/commands/powershell';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { Artifacts } from '@/lib/report/artifacts';
import type { PasteBlockOf, TrustedCa } from '@/lib/paste/types';
import { blocksOf, chainCas, lineAt, origin, pasted, sameDn, sourceOf, type ChainCa } from './common';

type Registered = TrustedCa & { block: PasteBlockOf<'trusted-ca'> };

/** What other pasted outputs (certutil, verifystore) say about a CA: who issued it, its CRL URLs. */
interface CaFact {
  subject: string;
  sha1: string | null;
  selfIssued: boolean | null;
  crlUrls: string[];
  from: string;
}

function pastedFacts(a: Artifacts): CaFact[] {
  const facts: CaFact[] = [];
  const add = (f: CaFact) => {
    const same = facts.find((x) => sameDn(x.subject, f.subject));
    if (!same) facts.push(f);
    else {
      same.selfIssued ??= f.selfIssued;
      same.sha1 ??= f.sha1;
      for (const u of f.crlUrls) if (!same.crlUrls.includes(u)) same.crlUrls.push(u);
    }
  };
  for (const b of blocksOf(a, 'certutil-urlfetch')) {
    for (const e of b.data.elements) {
      const cdp = e.urls.filter((u) => /^Certificate CDP$/i.test(u.section)).flatMap((u) => u.urls);
      const from = `certutil output, ${lineAt(e.line, b)}`;
      if (e.issuer) add({ subject: e.issuer, sha1: null, selfIssued: null, crlUrls: cdp, from });
      if (e.subject && !e.index.endsWith('.0')) add({ subject: e.subject, sha1: e.thumbprint, selfIssued: e.selfSigned || sameDn(e.subject, e.issuer), crlUrls: [], from });
    }
  }
  for (const b of blocksOf(a, 'verifystore'))
    for (const c of b.data.certificates) if (c.subject) add({ subject: c.subject, sha1: c.sha1, selfIssued: c.selfIssued, crlUrls: [], from: `certutil -verifystore output, ${lineAt(c.line, b)}` });
  return facts;
}

const decode = (u: string) => {
  try {
    return decodeURI(u.trim()).toLowerCase();
  } catch {
    return u.trim().toLowerCase();
  }
};
const sameUrl = (x: string, y: string) => decode(x) === decode(y);

function crlProblem(r: TrustedCa, expected: string[]): { status: Status; why: string } | null {
  const u = r.crlDistributionPoint;
  if (!u) return { status: 'fail', why: 'it has no CRL URL, so Entra ID cannot check revocation for certificates it issued' };
  if (/^(ldap|file):/i.test(u)) return { status: 'fail', why: `its CRL URL is ${u.split(':')[0].toUpperCase()} (${u.length > 70 ? `${u.slice(0, 69)}…` : u}), which Entra ID cannot fetch; it needs an HTTP URL reachable from the Internet` };
  if (!/^https?:\/\//i.test(u)) return { status: 'fail', why: `its CRL URL "${u}" is not an HTTP URL` };
  if (/^https:/i.test(u)) return { status: 'warn', why: `its CRL URL uses HTTPS (${u}); Entra ID recommends plain HTTP for CRLs` };
  if (expected.length && !expected.some((e) => sameUrl(e, u))) return { status: 'warn', why: `its CRL URL ${u} is not the CDP in the certificates it issued (${expected.join(', ')})` };
  return null;
}

export interface Target {
  ca: string;
  registered: Registered | null;
  expectedType: TrustedCa['authorityType'];
  expectedCrl: string[];
  status: Status;
  problems: string[];
  notAfter: string | null;
}

function evaluate(name: string, r: Registered | null, expectedType: TrustedCa['authorityType'], expectedCrl: string[], notAfter: Date | null, now: Date): Target {
  const problems: string[] = [];
  const statuses: Status[] = [];
  if (!r) {
    problems.push('it is not registered in Entra ID');
    statuses.push('fail');
  } else {
    if (expectedType && r.authorityType && r.authorityType !== expectedType) {
      problems.push(`it is registered as ${r.authorityType} but is ${expectedType === 'RootAuthority' ? 'a root (self-signed)' : 'an intermediate (issued by another CA)'}`);
      statuses.push('fail');
    } else if (!r.authorityType) {
      problems.push(`its AuthorityType "${r.authorityTypeRaw ?? ''}" is not one CBA Doctor knows`);
      statuses.push('warn');
    }
    const crl = crlProblem(r, expectedCrl);
    if (crl) {
      problems.push(crl.why);
      statuses.push(crl.status);
    }
  }
  const end = notAfter ?? (r?.certificate ? new Date(r.certificate.notAfter) : r?.expiration ? new Date(r.expiration) : null);
  if (end && !Number.isNaN(end.getTime()) && end < now) {
    problems.push(`its certificate expired on ${end.toISOString().slice(0, 10)}`);
    statuses.push('fail');
  }
  return { ca: name, registered: r, expectedType, expectedCrl, status: worst(statuses, 'pass'), problems, notAfter: end && !Number.isNaN(end.getTime()) ? end.toISOString() : null };
}

function findRegistered(regs: Registered[], ca: ChainCa): Registered | null {
  return (
    regs.find((r) => ca.ski && r.ski === ca.ski) ??
    regs.find((r) => r.certificate?.sha1 === ca.sha1) ??
    regs.find((r) => sameDn(r.issuer, ca.subject) || sameDn(r.certificate?.subject, ca.subject)) ??
    null
  );
}

/** Remediation for the registered CAs that are not right (exported for the command property test). */
export function fixes(targets: Target[]): Remediation[] {
  const out: Remediation[] = [];
  for (const t of targets.filter((x) => x.status !== 'pass')) {
    const r = t.registered;
    const type = t.expectedType ?? r?.authorityType ?? 'IntermediateAuthority';
    const crl = t.expectedCrl[0] ?? (r?.crlDistributionPoint && /^http:/i.test(r.crlDistributionPoint) ? r.crlDistributionPoint : '<http URL of the CRL this CA publishes>');
    const cn = /CN=([^,]+)/i.exec(t.ca)?.[1]?.trim() ?? 'CA';
    // Every value below comes from a paste or a certificate: each enters as a single-quoted literal, and the file
    // name is made from the CA name rather than being the name.
    const file = `C:\\certs\\${fileNameFrom(cn)}`;
    const create = `$ca = New-Object -TypeName Microsoft.Open.AzureAD.Model.CertificateAuthorityInformation\n$ca.AuthorityType = ${psLiteral(type)}\n$ca.TrustedCertificate = Get-Content -Encoding Byte ${psLiteral(file)}\n$ca.CrlDistributionPoint = ${psLiteral(crl)}\nNew-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca`;
    const select = r?.ski ? `$ca = Get-AzureADTrustedCertificateAuthority | Where-Object { $_.TrustedIssuerSki -eq ${psLiteral(r.ski.toUpperCase())} }` : `$ca = Get-AzureADTrustedCertificateAuthority | Where-Object { $_.TrustedIssuer -eq ${psLiteral(t.ca)} }`;
    if (!r) out.push({ text: `Register ${t.ca} as ${type} with an HTTP CRL URL (AzureAD module, Windows PowerShell 5.1; export the CA certificate to a .cer file first):`, command: create });
    else if (t.expectedType && r.authorityType && r.authorityType !== t.expectedType)
      out.push({ text: `Remove ${t.ca} and register it again as ${type} (the type of an entry is not changed in place):`, command: `${select}\nRemove-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca\n${create}` });
    else if (t.problems.some((p) => /CRL URL/.test(p)))
      out.push({ text: `Point the entry of ${t.ca} at the HTTP CRL URL from its certificates' CDP:`, command: `${select}\n$ca.CrlDistributionPoint = ${psLiteral(crl)}\nSet-AzureADTrustedCertificateAuthority -CertificateAuthorityInformation $ca` });
    if (t.problems.some((p) => /expired/.test(p))) out.push({ text: `Renew ${t.ca}, then register the new CA certificate (and remove the expired entry).` });
  }
  if (out.length)
    out.push({
      text: 'Where the AzureAD module is no longer available, make the same change in the Microsoft Entra admin center (certificate authorities of certificate-based authentication) or with Microsoft Graph (certificateBasedAuthConfiguration / the PKI-based trust store).',
    });
  return out;
}

export const configTrustedCas: CheckDef = {
  id: 'config.trusted-cas',
  category: 'config',
  title: 'Entra ID trusts the CAs of the user certificate',
  description:
    'Entra ID accepts a certificate only if every CA of its chain is registered as a trusted certificate authority, the root as RootAuthority and the others as IntermediateAuthority, each with an HTTP CRL URL Entra ID can download (the CDP of the certificates that CA issues). LDAP or empty CRL URLs and expired CAs break sign-in.',
  citation: 'KB 4032987 (Determine if Azure AD is correctly configured, steps 2-3); Entra CBA documentation; CHECKS.md config.trusted-cas',
  reference: 'https://learn.microsoft.com/troubleshoot/azure/active-directory/certificate-based-authenticate-issue',
  needs: ['paste', 'chain', 'entra'],
  applies: (a) => {
    // For Entra native CBA with the PKI-based store (Graph JSON), entra.trust-store judges the stores, with the
    // configured CRLs fetched and matched. The classic store alone keeps this check too (its listing is also used
    // for federated CBA).
    if (a.target === 'entra' && a.entra?.pkiStore) return 'The target is Entra native CBA: the trust store is judged by entra.trust-store, which fetches each configured CRL and matches it to its CA.';
    return pasted('trusted-ca')(a);
  },
  run(a): Outcome {
    const blocks = blocksOf(a, 'trusted-ca');
    const regs: Registered[] = blocks.flatMap((block) => block.data.authorities.map((x) => ({ ...x, block })));
    const now = a.ctx.now;
    const cas = chainCas(a);
    const facts = pastedFacts(a);
    let targets: Target[];
    let basis: string;
    if (cas) {
      basis = 'chain';
      targets = cas.map((ca) => evaluate(ca.subject, findRegistered(regs, ca), ca.root ? 'RootAuthority' : 'IntermediateAuthority', ca.crlUrls, ca.notAfter, now));
    } else {
      basis = facts.length ? 'paste and other pasted outputs' : 'paste only';
      targets = regs.map((r) => {
        const name = r.certificate?.subject ?? r.issuer ?? r.displayName ?? `entry at ${lineAt(r.line, r.block)}`;
        const f = facts.find((x) => sameDn(x.subject, name) || (r.certificate && x.sha1 === r.certificate.sha1));
        const self = r.certificate?.selfIssued ?? f?.selfIssued ?? null;
        const type = self === null ? null : self ? 'RootAuthority' : 'IntermediateAuthority';
        return evaluate(name, r, type, f?.crlUrls.filter((u) => /^https?:/i.test(u)) ?? [], null, now);
      });
    }
    const others = cas ? regs.filter((r) => !targets.some((t) => t.registered === r)) : [];
    const status = worst(targets.map((t) => t.status), 'pass');
    const evidence = {
      basis,
      registered: regs.map((r) => ({
        ...origin(r.block),
        issuer: r.issuer,
        ski: r.ski,
        authorityType: r.authorityType ?? r.authorityTypeRaw,
        crlDistributionPoint: r.crlDistributionPoint,
        deltaCrlDistributionPoint: r.deltaCrlDistributionPoint,
        line: r.line,
        text: r.text,
      })),
      cas: targets.map((t) => ({
        ca: t.ca,
        status: t.status,
        problems: t.problems,
        registeredAt: t.registered ? { source: sourceOf(t.registered.block), line: t.registered.line, text: t.registered.text } : null,
        authorityType: t.registered?.authorityType ?? null,
        expectedAuthorityType: t.expectedType,
        crlDistributionPoint: t.registered?.crlDistributionPoint ?? null,
        expectedCrl: t.expectedCrl,
        notAfter: t.notAfter,
      })),
      notInChain: others.map((r) => ({ issuer: r.issuer, source: sourceOf(r.block), line: r.line })),
      facts: cas ? [] : facts.map((f) => ({ subject: f.subject, selfIssued: f.selfIssued, crlUrls: f.crlUrls, from: f.from })),
    };
    const describe = (t: Target) =>
      t.problems.length
        ? `${t.ca}${t.registered ? ` (${lineAt(t.registered.line, t.registered.block)})` : ''}: ${t.problems.join('; ')}`
        : `${t.ca} is registered as ${t.registered?.authorityType}${t.registered?.crlDistributionPoint ? ` with CRL ${t.registered.crlDistributionPoint}` : ''}${t.registered ? ` (${lineAt(t.registered.line, t.registered.block)})` : ''}`;
    const note = cas ? '' : ' No certificate chain was uploaded, so the list was judged on its own' + (facts.length ? ' and against the other pasted outputs' : '') + '.';
    const summary = `${targets.map(describe).join('. ')}.${note}`;
    if (status === 'pass') return { status, summary, evidence };
    return { status, summary, evidence, remediation: fixes(targets) };
  },
};
