// Collectors for revocation: CRL files given by the user, the merged set of every CRL available (files and
// downloads), and the revocation status of each certificate in the path.
import type { Collector } from '@/lib/report/collector';
import { readCrl, revocationStatus } from '../offload';
import type { CrlSet, ParsedCrl } from './types';

function idpKey(c: ParsedCrl): string {
  const e = c.extensions.find((x) => x.oid === '2.5.29.28');
  return e ? Buffer.from(e.value).toString('hex') : '';
}

/** Which CRL "slot" a CRL fills: one issuer, one scope, base or delta. A file fills it instead of a download. */
function slot(c: ParsedCrl): string {
  return `${c.issuer.key}|${idpKey(c)}|${c.deltaCrlIndicator === undefined ? 'base' : 'delta'}`;
}

export const crlFilesCollector: Collector = {
  name: 'CRL files',
  needs: [],
  provides: ['crlFiles'],
  async run(a) {
    if (!a.input.crlFiles.length) return {};
    const set: CrlSet = { items: [], problems: [] };
    const read = await Promise.allSettled(a.input.crlFiles.map((f) => readCrl(f.bytes, { kind: 'file', name: f.name })));
    for (const [i, r] of read.entries()) {
      if (r.status === 'fulfilled') set.items.push(r.value);
      else set.problems.push({ name: a.input.crlFiles[i].name, message: (r.reason as Error).message });
    }
    return { crlFiles: set };
  },
};

/** Files first; a downloaded CRL is dropped when a file already gives that CA's CRL of the same kind and scope. */
export function mergeCrls(files: CrlSet | undefined, downloads: { parsed?: ParsedCrl; parseError?: string; fetch: { url: string } }[] | undefined): CrlSet {
  const set: CrlSet = { items: [...(files?.items ?? [])], problems: [...(files?.problems ?? [])] };
  const taken = new Set(set.items.map(slot));
  const seen = new Set(set.items.map((c) => Buffer.from(c.signature).toString('hex')));
  for (const d of downloads ?? []) {
    if (!d.parsed) {
      if (d.parseError) set.problems.push({ name: d.fetch.url, message: d.parseError });
      continue;
    }
    const sig = Buffer.from(d.parsed.signature).toString('hex');
    if (seen.has(sig) || taken.has(slot(d.parsed))) continue;
    seen.add(sig);
    set.items.push(d.parsed);
  }
  return set;
}

export const crlsCollector: Collector = {
  name: 'available CRLs',
  needs: ['crlFiles', 'crlDownloads'],
  provides: ['crls'],
  async run(a) {
    if (!a.crlFiles && !a.crlDownloads) return {};
    return { crls: mergeCrls(a.crlFiles, a.crlDownloads) };
  },
};

export const revocationCollector: Collector = {
  name: 'revocation status',
  needs: ['chain', 'crls', 'certs', 'aiaCerts'],
  provides: ['revocation'],
  async run(a) {
    if (!a.chain || !a.crls) return {};
    return { revocation: await revocationStatus({ chain: a.chain, crls: a.crls.items, certs: a.certs ?? [], aiaCerts: a.aiaCerts, now: a.ctx.now }) };
  },
};
