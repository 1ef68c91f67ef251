// The CPU-heavy PKI steps behind async functions: parsing uploaded files, building and validating the chain, reading
// CRLs and walking them for revocation. In the portal they run on the worker pool (lib/worker) with a time budget, so
// a huge or hostile upload never stalls other requests; in the CLI (inline mode) they run in-process as before.
import { budgetMs, offload, workMode } from '@/lib/worker/run';
import { WorkBudgetError } from '@/lib/worker/pool';
import type { CrlRead, Screened } from '@/lib/worker/tasks';
import { computeChain } from '@/lib/worker/tasks';
import type { BuildInput } from './chain/build';
import { certificatePool } from './chain/build';
import type { ChainResult } from './chain/types';
import { CrlParseError, parseCrl } from './crl/parse';
import { checkRevocation, type RevocationInput } from './crl/revocation';
import type { ParsedCrl, RevocationResult } from './crl/types';
import { crlBytes, crlFromFields, rememberCrlBytes } from './crl/wire';
import { parseCertificateFile, type ParsedFile } from './input';
import type { CertEntry } from './types';
import { byRef, certFromFields, packEntries, resolveEntries, stubEntries } from './wire';

export { WorkBudgetError };
export type { Screened };

const inline = () => workMode() === 'inline';

/** Every certificate of one file; a file over its time budget becomes a refusal of that file alone. */
export async function parseCertFile(name: string, bytes: Uint8Array, maxBytes?: number): Promise<ParsedFile> {
  if (inline()) return parseCertificateFile(name, bytes, maxBytes);
  try {
    const r = await offload('parseCertFile', { name, bytes, maxBytes }, { what: `Reading ${name}`, budgetMs: budgetMs('file') });
    return { result: r.result, certs: r.certs.map(certFromFields) };
  } catch (e) {
    if (!(e instanceof WorkBudgetError)) throw e;
    return { result: { fileName: name, size: bytes.length, notes: [], problem: { reason: 'over-budget', message: overBudgetMessage(e) } }, certs: [] };
  }
}

function overBudgetMessage(e: WorkBudgetError): string {
  return `${e.message}: the file is too costly to read. Upload the user certificate and the CA certificates of its chain, not a whole certificate store.`;
}

/**
 * What the submission check needs of each file (refusals, certificate count), in parallel and ahead of background
 * work: someone is waiting for the answer. A file over budget comes back as an `over-budget` problem.
 */
export async function screenCertFiles(files: { name: string; bytes: Uint8Array }[], maxBytes?: number): Promise<Screened[]> {
  return Promise.all(
    files.map(async (f): Promise<Screened> => {
      if (inline()) {
        const { result, certs } = parseCertificateFile(f.name, f.bytes, maxBytes);
        return { problem: result.problem, certs: certs.length };
      }
      try {
        return await offload('screenCertFile', { name: f.name, bytes: f.bytes, maxBytes }, { what: `Reading ${f.name}`, budgetMs: budgetMs('file'), urgent: true });
      } catch (e) {
        if (!(e instanceof WorkBudgetError)) throw e;
        return { problem: { reason: 'over-budget', message: overBudgetMessage(e) }, certs: 0 };
      }
    }),
  );
}

/** The path from the user certificate up, validated; over budget, the chain collector fails with that message. */
export async function buildValidatedChain(input: BuildInput): Promise<ChainResult> {
  if (inline()) return computeChain(input);
  const out = await offload(
    'chain',
    { userRef: input.user.ref, certs: packEntries(input.certs), aiaCerts: input.aiaCerts && packEntries(input.aiaCerts), now: input.now },
    { what: 'Building the certificate chain', budgetMs: budgetMs('chain') },
  );
  return resolveEntries(out, byRef(input.certs, input.aiaCerts, [input.user]));
}

/** One CRL's header (entries are walked later, on demand); throws CrlParseError when it is not a CRL. */
export async function readCrl(bytes: Uint8Array, source: ParsedCrl['source']): Promise<ParsedCrl> {
  if (inline()) return rememberCrlBytes(parseCrl(bytes, source), bytes);
  const r: CrlRead = await offload('readCrl', { bytes, source }, { what: `Reading the CRL ${source.name}`, budgetMs: budgetMs('crl') });
  if (!r.ok) throw new CrlParseError(r.message);
  return crlFromFields(r.fields, bytes);
}

/** A downloaded body's encoding and the CRL in it, or why it is not one. */
export async function readCrlDownload(body: Uint8Array, url: string): Promise<{ encoding: 'der' | 'pem' | 'base64' | 'other'; parsed?: ParsedCrl; parseError?: string }> {
  const r = await offload('readCrlDownload', { body, url }, { what: `Reading the CRL downloaded from ${url}`, budgetMs: budgetMs('crl') });
  if (!r.read.ok) return { encoding: r.encoding, parseError: r.read.message };
  const bytes = r.decoded ?? body;
  return { encoding: r.encoding, parsed: crlFromFields(r.read.fields, bytes) };
}

/**
 * Revocation of every certificate in the path. CRLs read by this module go to the pool as their bytes; a CRL built
 * some other way (a test handing parsed objects in) is walked in this thread.
 */
export async function revocationStatus(input: { chain: ChainResult; crls: ParsedCrl[]; certs: CertEntry[]; aiaCerts?: CertEntry[]; now: Date }): Promise<RevocationResult> {
  const sources = input.crls.map((c) => crlBytes(c));
  const direct = (): RevocationInput => ({ chain: input.chain, crls: input.crls, pool: certificatePool(input.certs, input.aiaCerts ?? []), now: input.now });
  if (inline() || sources.some((b) => !b)) return checkRevocation(direct());
  const out = await offload(
    'revocation',
    {
      chain: stubEntries(input.chain),
      crls: input.crls.map((c, i) => ({ bytes: sources[i]!, source: c.source })),
      certs: packEntries(input.certs),
      aiaCerts: input.aiaCerts && packEntries(input.aiaCerts),
      now: input.now,
    },
    { what: 'Checking revocation against the CRLs', budgetMs: budgetMs('revocation') },
  );
  return resolveEntries(out, byRef(input.certs, input.aiaCerts));
}
