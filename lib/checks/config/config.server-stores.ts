import { fileNameFrom } from '@/lib/commands/native';
import { certutilAddStore, certutilDelStore, fix } from '@/lib/commands/windows';
import type { CheckDef, Outcome } from '../types';
import { worst } from '../types';
import type { Remediation, Status } from '@/lib/report/schema';
import type { PasteBlockOf, StoreCertificate } from '@/lib/paste/types';
import { isClientAuthIssuer, isNtAuth } from './stores';
import { blocksOf, chainCas, lineAt, origin, pasted, sameDn, sourceOf, type ChainCa } from './common';

type StoreBlock = PasteBlockOf<'verifystore'>;
const cnOf = (dn: string | null) => /CN=([^,]+)/i.exec(dn ?? '')?.[1]?.trim() ?? 'certificate';

function storeOf(b: StoreBlock): 'root' | 'ca' | 'other' | 'unknown' {
  const s = (b.data.store ?? '').toLowerCase();
  if (!s) return 'unknown';
  return s === 'root' || s === 'authroot' ? 'root' : s === 'ca' ? 'ca' : 'other';
}

function locate(ca: ChainCa, blocks: StoreBlock[]): { block: StoreBlock; cert: StoreCertificate; by: 'thumbprint' | 'name' } | null {
  for (const block of blocks) {
    const c = block.data.certificates.find((x) => x.sha1 === ca.sha1);
    if (c) return { block, cert: c, by: 'thumbprint' };
  }
  for (const block of blocks) {
    const c = block.data.certificates.find((x) => sameDn(x.subject, ca.subject));
    if (c) return { block, cert: c, by: 'name' };
  }
  return null;
}

interface Finding {
  status: Status;
  text: string;
  fix?: Remediation;
}

/** Remediation: add a CA certificate to a store. The file name is made from the CA name, never the name itself. */
export function addToStore(store: 'Root' | 'CA', name: string): { text: string; command?: string } {
  const file = fileNameFrom(name);
  const where = store === 'Root' ? 'Trusted Root' : 'Intermediate';
  return { text: `Add ${name} to the ${where} store on every AD FS and Web Application Proxy server (export its certificate as ${file} first):`, command: certutilAddStore(store, file) };
}

/** Remediation: move a CA certificate that is not self-signed from the Trusted Root store to the Intermediate store. */
export function moveToIntermediate(name: string, id: string | null | undefined): { text: string; command?: string } {
  const file = fileNameFrom(name);
  const text = `Move ${name} from the Trusted Root store to the Intermediate store on every AD FS and Web Application Proxy server (elevated prompt; export its certificate as ${file} first):`;
  const del = id ? certutilDelStore('Root', id) : 'certutil -delstore Root <serial number>';
  return fix(text, del && `${del}\n${certutilAddStore('CA', file)}`, 'the serial number', id ?? '');
}

export const configServerStores: CheckDef = {
  id: 'config.server-stores',
  category: 'config',
  title: "Servers hold the user's CAs in the right stores",
  description:
    "AD FS and Web Application Proxy servers must have the user's root CA in the computer's Trusted Root store and the intermediate CAs in the Intermediate store. A certificate that is not self-signed in the Trusted Root store breaks the list of trusted issuers the server sends when it asks for a client certificate.",
  citation: 'KB 4032987 (Determine if the ADFS and Web Application Proxy configurations are configured correctly, step 2); CHECKS.md config.server-stores',
  reference: 'https://learn.microsoft.com/troubleshoot/azure/active-directory/certificate-based-authenticate-issue',
  needs: ['paste', 'chain'],
  // NTAuth and Client Authentication Issuers listings are judged by config.ntauth and config.schannel.
  applies: (a) => (blocksOf(a, 'verifystore').some((b) => !isNtAuth(b) && !isClientAuthIssuer(b)) ? true : pasted('verifystore')(a) === true ? 'Only the NTAuth or Client Authentication Issuers store was pasted (judged by config.ntauth and config.schannel).' : pasted('verifystore')(a)),
  run(a): Outcome {
    const blocks = blocksOf(a, 'verifystore').filter((b) => !isNtAuth(b) && !isClientAuthIssuer(b));
    const roots = blocks.filter((b) => storeOf(b) === 'root');
    const cas = blocks.filter((b) => storeOf(b) === 'ca');
    const chain = chainCas(a);
    const findings: Finding[] = [];

    for (const b of roots)
      for (const c of b.data.certificates.filter((x) => x.selfIssued === false)) {
        findings.push({
          status: 'fail',
          text: `${c.subject ?? `certificate ${c.index}`} (issued by ${c.issuer ?? 'another CA'}) is in the Trusted Root store but is not self-signed (${lineAt(c.line, b)}${c.serial ? `, serial ${c.serial}` : ''})`,
          fix: moveToIntermediate(cnOf(c.subject), c.serial ?? c.sha1),
        });
      }

    const caRows: { ca: string; store: string; status: Status; found: { source: string; line: number; by: string } | null }[] = [];
    const found = (hit: NonNullable<ReturnType<typeof locate>>) => ({ source: sourceOf(hit.block), line: hit.cert.line, by: hit.by });
    if (chain) {
      const root = chain.find((c) => c.root);
      if (root && roots.length) {
        const hit = locate(root, roots);
        caRows.push({ ca: root.subject, store: 'Root', status: !hit ? 'fail' : hit.by === 'name' ? 'warn' : 'pass', found: hit ? found(hit) : null });
        if (!hit)
          findings.push({
            status: 'fail',
            text: `the user's root ${root.subject} is not in the Trusted Root store`,
            fix: addToStore('Root', cnOf(root.subject)),
          });
        else if (hit.by === 'name')
          findings.push({ status: 'warn', text: `a certificate named ${root.subject} is in the Trusted Root store (${lineAt(hit.cert.line, hit.block)}) but its thumbprint is not the one of the uploaded root (${root.sha1})` });
        else findings.push({ status: 'pass', text: `the user's root ${root.subject} is in the Trusted Root store (${lineAt(hit.cert.line, hit.block)})` });
      }
      if (cas.length)
        for (const ca of chain.filter((c) => !c.root)) {
          const hit = locate(ca, cas);
          caRows.push({ ca: ca.subject, store: 'CA', status: hit ? 'pass' : 'warn', found: hit ? found(hit) : null });
          findings.push(
            hit
              ? { status: 'pass', text: `the intermediate ${ca.subject} is in the Intermediate store (${lineAt(hit.cert.line, hit.block)})` }
              : {
                  status: 'warn',
                  text: `the intermediate ${ca.subject} is not in the Intermediate store`,
                  fix: addToStore('CA', cnOf(ca.subject)),
                },
          );
        }
    }
    const status = roots.length || cas.length ? worst(findings.map((f) => f.status), 'pass') : 'info';
    const evidence = {
      stores: blocks.map((b) => ({
        ...origin(b),
        store: b.data.store,
        storeTitle: b.data.storeTitle,
        certificates: b.data.certificates.map((c) => ({ index: c.index, subject: c.subject, issuer: c.issuer, sha1: c.sha1, selfIssued: c.selfIssued, valid: c.valid, line: c.line })),
      })),
      chainCas: caRows,
      findings: findings.map((f) => ({ status: f.status, finding: f.text })),
    };
    const parts = findings.filter((f) => f.status !== 'pass');
    const ok = findings.filter((f) => f.status === 'pass');
    let summary: string;
    if (status === 'info')
      summary = `Pasted certificate store output was found, but not which store it lists (Root or CA); paste the whole output of certutil -verifystore Root and certutil -verifystore CA, header line included.`;
    else if (parts.length) summary = `${parts.map((f) => f.text).join('; ')}.${ok.length ? ` Fine: ${ok.map((f) => f.text).join('; ')}.` : ''}`;
    else {
      const n = roots.reduce((s, b) => s + b.data.certificates.length, 0);
      summary = `${ok.length ? `${ok.map((f) => f.text).join('; ')}. ` : ''}${roots.length ? `Every certificate in the pasted Trusted Root store (${n}) is self-signed.` : ''}${chain ? '' : " No certificate chain was uploaded, so the user's own root and intermediates were not looked up."}`.trim();
      summary = summary.charAt(0).toUpperCase() + summary.slice(1);
    }
    const remediation = parts.map((f) => f.fix).filter((x): x is Remediation => !!x);
    if (status === 'pass' || status === 'info') return { status, summary, evidence };
    return { status, summary: summary.charAt(0).toUpperCase() + summary.slice(1), evidence, remediation: remediation.length ? remediation : [{ text: 'Re-run certutil -verifystore Root and certutil -verifystore CA on each AD FS and Web Application Proxy server after the fix.' }] };
  },
};
