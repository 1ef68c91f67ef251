import type { Remediation, Status, Target } from '@/lib/report/schema';
import type { CrlDownload } from '@/lib/net/types';
import { readCrlBody } from '@/lib/net/collect-crl';
import { downloadId, downloadsApply, ENTRA_CRL_URL } from '@/lib/net/crl-report';
import { worst, type CheckDef } from '../types';

function read(d: CrlDownload): Pick<CrlDownload, 'encoding' | 'parsed' | 'parseError'> | undefined {
  if (d.encoding && (d.parsed || d.parseError)) return d;
  return d.body ? readCrlBody(d.body, d.fetch.url) : undefined;
}

/** RFC 5280 5.2.3: a cRLNumber in every CRL, never critical; without a usable one the CRL is not used. */
function numberProblem(p: NonNullable<CrlDownload['parsed']>): string | undefined {
  const ext = p.extensions.find((e) => e.oid === '2.5.29.20');
  if (!ext) return 'It has no cRLNumber extension (RFC 5280 5.2.3 requires one; Entra ID uses it to accept only newer CRLs), so it is not used for revocation.';
  if (ext.critical) return 'Its cRLNumber extension is marked critical, which RFC 5280 5.2.3 forbids, so it is not used for revocation.';
  return undefined;
}

function judge(d: CrlDownload, target: Target): { status: Status; note: string; encoding?: string } {
  const j = judgeEncoding(d, target);
  const r = j.status === 'skip' ? undefined : read(d);
  const problem = r?.parsed ? numberProblem(r.parsed) : undefined;
  if (!problem) return j;
  return { status: 'fail', encoding: j.encoding, note: j.status === 'pass' ? problem : `${j.note} ${problem}` };
}

function judgeEncoding(d: CrlDownload, target: Target): { status: Status; note: string; encoding?: string } {
  if (d.fetch.error || !d.fetch.ok) return { status: 'skip', note: 'Not downloaded completely (see crl.fetch).' };
  const r = read(d);
  if (!r) return { status: 'skip', note: 'The body was not kept, so its format could not be read.' };
  const type = d.fetch.contentType ? ` (Content-Type ${d.fetch.contentType})` : '';
  if (!r.parsed) {
    const html = /html/i.test(d.fetch.contentType ?? '');
    return {
      status: 'fail',
      encoding: r.encoding,
      note: html
        ? `The URL returned a web page${type}, not a CRL: often a proxy, firewall or login page answering instead of the CRL server.`
        : `Not a CRL${type}: ${r.parseError ?? 'unreadable'}.`,
    };
  }
  if (r.encoding === 'der') return { status: 'pass', encoding: 'der', note: 'DER-encoded CRL.' };
  const form = r.encoding === 'pem' ? 'PEM (base64 between BEGIN/END lines)' : 'bare base64 text';
  return target === 'entra'
    ? { status: 'fail', encoding: r.encoding, note: `A CRL in ${form}: Entra ID accepts only DER.` }
    : { status: 'warn', encoding: r.encoding, note: `A CRL in ${form}: Windows reads it, but Entra ID accepts only DER, and DER is the standard form for CRLs over HTTP.` };
}

export const crlFormat: CheckDef = {
  id: 'crl.format',
  category: 'crl',
  title: 'CRLs are DER-encoded and numbered',
  description:
    'A CRL published over HTTP should be the binary DER file (RFC 5280) with a non-critical cRLNumber. Entra ID accepts only DER and uses the CRL number to accept only newer CRLs; a PEM or base64 CRL, a CRL without a usable number, or a web page served instead of the CRL, leaves the certificate without a usable revocation status.',
  citation: 'Entra CBA documentation (DER-encoded CRLs only); RFC 5280 sections 4.2.1.13 and 5.2.3',
  reference: ENTRA_CRL_URL,
  // The verdict depends on the target, which realm discovery may refine: wait for it.
  needs: ['chain', 'crlDownloads', 'realm'],
  applies: downloadsApply,
  run(a) {
    const rows = a.crlDownloads!.map((d) => {
      const j = judge(d, a.target);
      const parsed = read(d)?.parsed;
      return { ...downloadId(a, d), status: j.status, note: j.note, encoding: j.encoding ?? null, contentType: d.fetch.contentType ?? null, crlNumber: parsed?.crlNumber?.toString() ?? null };
    });
    const status = worst(rows.map((r) => r.status));
    const evidence = { target: a.target, downloads: rows };
    if (status === 'skip') return { status, summary: 'No CRL was downloaded completely, so there is no format to check (see crl.fetch).', evidence };
    const bad = rows.filter((r) => r.status === 'warn' || r.status === 'fail');
    if (!bad.length) return { status, summary: `Every downloaded CRL is DER-encoded and numbered (${rows.filter((r) => r.status === 'pass').map((r) => `number ${r.crlNumber}`).join(', ')}).`, evidence };
    const remediation: Remediation[] = [];
    if (bad.some((r) => r.encoding === 'pem' || r.encoding === 'base64'))
      remediation.push({ text: 'Convert the CRL to DER and publish that file instead (OpenSSL-based CAs write PEM unless told otherwise):', command: 'openssl crl -in crl.pem -outform DER -out crl.crl' });
    if (bad.some((r) => /cRLNumber/.test(r.note)))
      remediation.push({ text: 'Publish CRLs with a non-critical CRL number that grows with each CRL. AD CS always writes one; for an OpenSSL CA set crlnumber in the CA section of openssl.cnf (a file holding the next number).' });
    if (bad.some((r) => r.encoding !== 'pem' && r.encoding !== 'base64' && !/cRLNumber/.test(r.note)))
      remediation.push({ text: 'Make the CRL URL serve the CRL file itself: check that no proxy, firewall or login page answers in its place, and that the file at that path is the CRL the CA published.' });
    return { status, summary: `${bad.length} downloaded CRL(s) have a format problem: ${bad.map((r) => `${r.url} (${r.note})`).join(' ')}`, evidence, remediation };
  },
};
