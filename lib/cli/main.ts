// bin/cba-doctor: the CLI contract of DESIGN.md. Compiled once by scripts/build-cli.mjs (npm ci runs it).
import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseCertificateFile } from '@/lib/pki/input';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { allowPrivateFromEnv } from '@/lib/net/policy';
import { runDiagnosis } from '@/lib/report/runner';
import { renderText } from '@/lib/report/render-text';
import type { DiagnosisContext, DiagnosisInput, UploadedFile } from '@/lib/report/artifacts';
import { useInlineWork } from '@/lib/worker/run';
import { parseArgs, UsageError, USAGE } from './args';

const MAX_READ = 200 * 1024 * 1024;

/** One line for a file that cannot be used, naming the cause (never "not found" for a file that exists). */
function fileProblem(e: unknown, what: string, path: string): UsageError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new UsageError(`${what} file not found: ${path}`);
  if (code === 'EACCES' || code === 'EPERM') return new UsageError(`${what} file cannot be read, permission denied: ${path}`);
  if (code === 'EISDIR') return new UsageError(`${what} is a directory, not a file: ${path}`);
  return new UsageError(`${what} file cannot be read (${code ?? (e instanceof Error ? e.message : String(e))}): ${path}`);
}

function readInputFile(path: string, what: string): UploadedFile {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw fileProblem(e, what, path);
  }
  if (st.isDirectory()) throw new UsageError(`${what} is a directory, not a file: ${path}`);
  if (!st.isFile()) throw new UsageError(`${what} is not a regular file: ${path}`);
  if (st.size > MAX_READ) throw new UsageError(`${what} file is too large (${st.size} bytes): ${path}`);
  let b: Buffer;
  try {
    b = readFileSync(path); // a view, not a copy: CRL files can be tens of MB
  } catch (e) {
    throw fileProblem(e, what, path);
  }
  return { name: basename(path), bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
}

/** Where the CLI writes; the process streams by default, a buffer when a test runs the CLI in-process. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  /** Colour only on a terminal. */
  color: boolean;
}

const processIo: CliIo = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  color: !!process.stdout.isTTY && !process.env.NO_COLOR,
};

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  // A CLI run has no other requests to keep answering: parsing and CRL walks stay in this thread (no pool to start).
  useInlineWork();
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cba-doctor: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  // The portal refuses a submission without a certificate; a diagnosis of nothing must not read as a pass here either.
  if (!args.certs.length && args.user === undefined) {
    io.err('cba-doctor: no certificate given: add --cert FILE with the user certificate (and --cert for each CA certificate), or --user FILE.\n');
    return 2;
  }
  let input: DiagnosisInput;
  try {
    input = {
      upn: args.upn,
      domain: args.domain ?? (args.upn?.includes('@') ? args.upn.split('@').pop() : undefined),
      federationHost: args.adfs,
      nodes: args.nodes,
      resolve: args.resolve,
      tlsClientPort: args.tlsClientPort,
      files: args.certs.map((p) => readInputFile(p, '--cert')),
      crlFiles: args.crls.map((p) => readInputFile(p, '--crl')),
      ...(args.graph ? { graph: args.correlationId ? { correlationId: args.correlationId } : {} } : {}),
      pasted: args.pastes.map((p) => {
        const f = readInputFile(p.file, '--paste');
        return { name: f.name, text: Buffer.from(f.bytes).toString('utf8'), ...(p.node ? { node: p.node } : {}) };
      }),
    };
    if (args.user !== undefined) {
      const f = readInputFile(args.user, '--user');
      const first = parseCertificateFile(f.name, f.bytes).certs[0];
      if (!first) throw new UsageError(`--user ${args.user} holds no certificate that could be read`);
      if (!args.certs.some((p) => resolve(p) === resolve(args.user!))) input.files.unshift(f);
      input.userCertificate = first.sha256;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`cba-doctor: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const ctx: DiagnosisContext = {
    now: args.at ?? new Date(),
    requestedTarget: args.target,
    cloud: args.cloud,
    offline: args.offline,
    allowPrivate: args.allowPrivate || allowPrivateFromEnv(),
    timeoutMs: (args.timeout ?? 10) * 1000,
  };
  const report = await runDiagnosis(input, ctx, { checks: ALL_CHECKS, collectors: ALL_COLLECTORS });
  if (args.json) io.out(JSON.stringify(report, null, 2) + '\n');
  else io.out(renderText(report, { color: io.color, verbose: args.verbose }));
  return report.summary.counts.fail > 0 ? 1 : 0;
}
