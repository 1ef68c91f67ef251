// Certificates are referred to internally by refs (`c1`, `c2`: lib/pki/collect.ts). A reader needs the file name and
// subject instead; the report's input.certificates maps one to the other, applied when the report is drawn.
import type { InputCertificate } from '@/lib/report/schema';

export type CertNames = Map<string, { fileName: string; subject: string }>;

export function certNames(certs: InputCertificate[]): CertNames {
  return new Map(certs.map((c) => [c.ref, { fileName: c.fileName, subject: c.subject }]));
}

/** A value that is exactly a known ref, as "file name (subject)"; `short` gives the file name alone (the subject is shown beside it). */
export function nameOfRef(names: CertNames, v: string, short = false): string | undefined {
  const n = names.get(v);
  if (!n) return undefined;
  return short || !n.subject ? n.fileName : `${n.fileName} (${n.subject})`;
}

/** Free text (a summary, a note) with every whole-word known ref replaced by the certificate's file name. */
export function withCertNames(names: CertNames, text: string): string {
  if (!names.size) return text;
  return text.replace(/\b(c\d+)\b/g, (m) => {
    const n = names.get(m);
    return n ? `"${n.fileName}"` : m;
  });
}
