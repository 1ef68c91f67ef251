// bin/cba-doctor: the CLI contract of DESIGN.md. Compiled once by scripts/build-cli.mjs (npm ci runs it).
import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ALL_CHECKS } from '@/lib/checks/registry';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { allowPrivateFromEnv } from '@/lib/net/policy';
import { runDiagnosis } from '@/lib/report/runner';
import { renderText } from '@/lib/report/render-text';
import type { DiagnosisContext, DiagnosisInput, UploadedFile } from '@/lib/report/artifacts';
import { useInlineWork } from '@/lib/worker/run';
import { parseArgs, UsageError, USAGE } from './args';

const MAX_READ = 200 * 1024 * 1024;

function readInputFile(path: string, what: string): UploadedFile {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new UsageError(`${what} file not found: ${path}`);
  }
  if (!st.isFile()) throw new UsageError(`${what} is not a regular file: ${path}`);
  if (st.size > MAX_READ) throw new UsageError(`${what} file is too large (${st.size} bytes): ${path}`);
  const b = readFileSync(path); // a view, not a copy: CRL files can be tens of MB
  return { name: basename(path), bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) };
}

export async function main(argv: string[]): Promise<number> {
  // A CLI run has no other requests to keep answering: parsing and CRL walks stay in this thread (no pool to start).
  useInlineWork();
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cba-doctor: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
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
      pasted: args.pastes.map((p) => {
        const f = readInputFile(p, '--paste');
        return { name: f.name, text: Buffer.from(f.bytes).toString('utf8') };
      }),
    };
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cba-doctor: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const ctx: DiagnosisContext = {
    now: args.at ?? new Date(),
    requestedTarget: args.target,
    offline: args.offline,
    allowPrivate: args.allowPrivate || allowPrivateFromEnv(),
    timeoutMs: (args.timeout ?? 10) * 1000,
  };
  const report = await runDiagnosis(input, ctx, { checks: ALL_CHECKS, collectors: ALL_COLLECTORS });
  if (args.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(renderText(report, { color: process.stdout.isTTY && !process.env.NO_COLOR, verbose: args.verbose }));
  return report.summary.counts.fail > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`cba-doctor: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  },
);
