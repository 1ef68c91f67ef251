// The CPU-heavy steps of a diagnosis, as functions from plain data to plain data (structured-cloneable both ways):
// they run on a worker thread (lib/worker/entry.ts, bundled into dist/worker.mjs) in the portal, and in-process in
// the CLI. Each is what the calling collector used to do inline; the callers are in lib/pki/offload.ts.
import { buildChain, certificatePool, type BuildInput } from '@/lib/pki/chain/build';
import type { ChainResult } from '@/lib/pki/chain/types';
import { parseCrl } from '@/lib/pki/crl/parse';
import { checkRevocation } from '@/lib/pki/crl/revocation';
import type { ParsedCrl, RevocationResult } from '@/lib/pki/crl/types';
import { crlFields, type CrlFields } from '@/lib/pki/crl/wire';
import { parseCertificateFile, type ParsedFile } from '@/lib/pki/input';
import { crlEncoding } from '@/lib/net/collect-crl';
import type { CrlDownload } from '@/lib/net/types';
import type { InputFileResult } from '@/lib/pki/types';
import { threadId as workerThreadId } from 'node:worker_threads';
import { currentNice } from './nice';
import { byRef, certFields, resolveEntries, stubEntries, unpackEntries, type CertFields, type PackedEntries } from '@/lib/pki/wire';

export interface FileArg {
  name: string;
  bytes: Uint8Array;
  maxBytes?: number;
}

export interface ParsedFileFields {
  result: ParsedFile['result'];
  certs: CertFields[];
}

/** Every certificate of one uploaded file (PEM bundle, DER, PKCS#7), or why it has none. */
export function parseCertFile(f: FileArg): ParsedFileFields {
  const { result, certs } = parseCertificateFile(f.name, f.bytes, f.maxBytes);
  return { result, certs: certs.map(certFields) };
}

export interface Screened {
  problem?: InputFileResult['problem'];
  /** Certificates found in the file. */
  certs: number;
}

/** What a submission check needs of a file (refusals, a count), without sending its certificates back. */
export function screenCertFile(f: FileArg): Screened {
  const { result, certs } = parseCertificateFile(f.name, f.bytes, f.maxBytes);
  return { problem: result.problem, certs: certs.length };
}

/** The path from the user certificate up: every candidate built and validated at the evaluation time (build.ts). */
export function computeChain(input: BuildInput): ChainResult {
  return buildChain(input);
}

export interface ChainArg {
  userRef: string;
  certs: PackedEntries;
  aiaCerts?: PackedEntries;
  now: Date;
}

function unpackPool(certs: PackedEntries, aia: PackedEntries | undefined) {
  const c = unpackEntries(certs);
  const a = aia ? unpackEntries(aia) : undefined;
  return { certs: c, aiaCerts: a, refs: byRef(c, a) };
}

/** computeChain over a packed pool; certificates in the result are stubs (the caller has them). */
export function chain(arg: ChainArg): ChainResult {
  const { certs, aiaCerts, refs } = unpackPool(arg.certs, arg.aiaCerts);
  const user = refs.get(arg.userRef);
  if (!user) throw new Error(`the user certificate ${arg.userRef} is not among the certificates sent`);
  return stubEntries(computeChain({ user, certs, aiaCerts, now: arg.now }));
}

export interface CrlSource {
  bytes: Uint8Array;
  source: ParsedCrl['source'];
}

export type CrlRead = { ok: true; fields: CrlFields } | { ok: false; message: string };

/** One CRL's header (the entries are walked later, where they are needed), or why it is not a CRL. */
export function readCrl(c: CrlSource): CrlRead {
  try {
    return { ok: true, fields: crlFields(parseCrl(c.bytes, c.source)) };
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
}

export interface CrlDownloadRead {
  encoding: NonNullable<CrlDownload['encoding']>;
  /** Bare base64 decoded: what `read` was parsed from (otherwise the body itself). */
  decoded?: Uint8Array;
  read: CrlRead;
}

/** A downloaded body: its encoding (DER, PEM, bare base64, other) and the CRL in it. */
export function readCrlDownload(a: { body: Uint8Array; url: string }): CrlDownloadRead {
  const { encoding, der } = crlEncoding(a.body);
  return { encoding, decoded: der, read: readCrl({ bytes: der ?? a.body, source: { kind: 'download', name: a.url, url: a.url } }) };
}

export interface RevocationArg {
  /** With certificates as stubs (stubEntries). */
  chain: ChainResult;
  /** In CrlSet order: the result refers to CRLs by index. */
  crls: CrlSource[];
  certs: PackedEntries;
  aiaCerts?: PackedEntries;
  now: Date;
}

/** Revocation status of the path: every CRL's signature checked and its entries walked. */
export function revocation(a: RevocationArg): RevocationResult {
  const { certs, aiaCerts, refs } = unpackPool(a.certs, a.aiaCerts);
  const chain = resolveEntries(a.chain, refs);
  const crls = a.crls.map((c) => parseCrl(c.bytes, c.source));
  return stubEntries(checkRevocation({ chain, crls, pool: certificatePool(certs, aiaCerts), now: a.now }));
}


/** This thread's id and nice value (Linux), to show the pool's threads run below the request thread (nice.ts). */
export function threadPriority(): { threadId: number; nice: number | null } {
  return { threadId: workerThreadId, nice: currentNice() };
}
