import { certutilDump, fix } from '@/lib/commands/windows';
import type { CheckDef } from '../types';

// CRLs given as files (--crl) are not certificates, so input.files does not cover them; without this check a
// mistyped path to the wrong file would only show up as "revocation undetermined" much further down.
export const inputCrlFiles: CheckDef = {
  id: 'input.crl-files',
  category: 'input',
  title: 'CRL files given are CRLs',
  description:
    'Every CRL given as a file (--crl) should be a certificate revocation list in DER or PEM form. Files that are not are named with the reason, and revocation is judged with the rest.',
  citation: 'CBA Doctor (CLI --crl, DESIGN.md); RFC 5280 section 5',
  needs: ['crlFiles'],
  applies: (a) => (a.crlFiles ? true : 'No CRL file was given.'),
  run(a) {
    const set = a.crlFiles!;
    const files = [
      ...set.items.map((c) => ({
        fileName: c.source.name,
        status: 'pass' as const,
        format: c.format,
        issuer: c.issuer.display,
        entries: c.entryCount,
        kind: c.deltaCrlIndicator !== undefined ? 'delta' : 'base',
        message: null as string | null,
      })),
      ...set.problems.map((p) => ({ fileName: p.name, status: 'fail' as const, format: null, issuer: null, entries: null, kind: null, message: p.message })),
    ];
    const evidence = { files };
    if (!set.problems.length) return { status: 'pass', summary: `${set.items.length} CRL file(s) read: ${set.items.map((c) => `${c.source.name} (${c.issuer.display})`).join('; ')}.`, evidence };
    return {
      status: 'fail',
      summary: `${set.problems.length} of ${files.length} CRL file(s) could not be read: ${set.problems.map((p) => `${p.name} (${p.message})`).join('; ')}.`,
      evidence,
      remediation: [
        fix(
          'Give the CRL file itself (.crl, DER or PEM "X509 CRL"). On an AD CS CA the current CRLs are in the CertEnroll folder; a CRL can also be downloaded from the URL in the certificate\'s CRL Distribution Points. To see what a file holds:',
          certutilDump(set.problems[0].name),
          'the file name',
          set.problems[0].name,
        ),
      ],
    };
  },
};
