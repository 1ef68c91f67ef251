// The report contract (DESIGN.md "Report"). This file is the single source of truth for the JSON API,
// the CLI's --json output and the TypeScript types used everywhere else.
import { z } from 'zod';
import { rankRootCauses } from './root-causes';

export const STATUSES = ['pass', 'info', 'warn', 'fail', 'skip', 'error'] as const;
export const statusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof statusSchema>;

export const targetSchema = z.enum(['adfs', 'entra', 'unknown']);
export type Target = z.infer<typeof targetSchema>;

/** The Microsoft cloud the tenant lives in: Entra's CRL limits differ in US Government clouds (DOMAIN.md). */
export const cloudSchema = z.enum(['public', 'usgov']);
export type Cloud = z.infer<typeof cloudSchema>;

export const remediationSchema = z.object({
  text: z.string().min(1),
  command: z.string().min(1).optional(),
});
export type Remediation = z.infer<typeof remediationSchema>;

export const checkResultSchema = z.object({
  id: z.string().regex(/^[a-z]+\.[a-z0-9-]+$/),
  category: z.string().min(1),
  title: z.string().min(1),
  status: statusSchema,
  summary: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  remediation: z.array(remediationSchema),
  reference: z.string().optional(),
  durationMs: z.number().nonnegative(),
  /** Set when the check was not (fully) tested because these checks failed first (their failure explains
   *  this one's). Status is then `skip`, or the verdict over the targets that could be tested. */
  blockedBy: z.array(z.string()).optional(),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const certificateRoleSchema = z.enum(['user', 'intermediate', 'root', 'unrelated']);
export type CertificateRole = z.infer<typeof certificateRoleSchema>;

export const inputCertificateSchema = z.object({
  ref: z.string(),
  fileName: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  role: certificateRoleSchema,
});
export type InputCertificate = z.infer<typeof inputCertificateSchema>;

export const pastedSchema = z.object({ kind: z.string(), lines: z.number().int().nonnegative(), node: z.string().optional() });

export const reportInputSchema = z.object({
  upn: z.string().optional(),
  domain: z.string().optional(),
  federationHost: z.string().optional(),
  nodes: z.array(z.string()).optional(),
  tlsClientPort: z.number().int().min(1).max(65535).optional(),
  cloud: cloudSchema.optional(),
  certificates: z.array(inputCertificateSchema),
  pasted: z.array(pastedSchema),
  /** `device`: the certificates were presented by the user's device to the certauth listener, not uploaded. */
  source: z.enum(['upload', 'device']).optional(),
});
export type ReportInput = z.infer<typeof reportInputSchema>;

export const countsSchema = z.object({
  pass: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
  warn: z.number().int().nonnegative(),
  fail: z.number().int().nonnegative(),
  skip: z.number().int().nonnegative(),
  error: z.number().int().nonnegative(),
});

export const reportSchema = z
  .object({
    schemaVersion: z.literal(1),
    id: z.string().min(1),
    createdAt: z.string(),
    updatedAt: z.string(),
    status: z.enum(['running', 'complete', 'interrupted']),
    target: targetSchema,
    input: reportInputSchema,
    summary: z.object({
      // 'incomplete': the diagnosis was interrupted and found no problem in what it ran, which is not a pass.
      verdict: z.enum(['pass', 'warn', 'fail', 'incomplete']),
      counts: countsSchema,
      /** Failing (else warning) checks not blocked by another, most important first (lib/report/root-causes). */
      rootCauses: z.array(z.string()).optional(),
      /** Checks not tested because a root cause blocked them (status skip with blockedBy). */
      notTested: z.number().int().nonnegative().optional(),
    }),
    checks: z.array(checkResultSchema),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    for (const c of r.checks) {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', message: `check id ${c.id} appears twice` });
      seen.add(c.id);
    }
  });
export type Report = z.infer<typeof reportSchema>;

/**
 * The summary of results. An interrupted report whose results hold no failure or warning is `incomplete`, never
 * `pass`: what did not run was not diagnosed. (Failures and warnings found before the interruption stand.)
 */
export function summarize(
  checks: (Pick<CheckResult, 'status'> & Partial<Pick<CheckResult, 'id' | 'category' | 'blockedBy'>>)[],
  status?: Report['status'],
): Report['summary'] {
  const counts = { pass: 0, info: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) counts[c.status]++;
  const found = counts.fail > 0 ? 'fail' : counts.warn > 0 ? 'warn' : 'pass';
  const verdict = found === 'pass' && status === 'interrupted' ? 'incomplete' : found;
  const summary: Report['summary'] = { verdict, counts };
  if (checks.every((c) => c.id)) {
    const full = checks as (Pick<CheckResult, 'status' | 'id'> & Partial<Pick<CheckResult, 'category' | 'blockedBy'>>)[];
    summary.rootCauses = rankRootCauses(full).map((c) => c.id);
    summary.notTested = full.filter((c) => c.status === 'skip' && c.blockedBy?.length).length;
  }
  return summary;
}

/** The report with its verdict matching its status, whoever marked it interrupted (the engine, or a store at start). */
export function settleVerdict(r: Report): Report {
  const summary = summarize(r.checks, r.status);
  return summary.verdict === r.summary.verdict ? r : { ...r, summary: { ...r.summary, verdict: summary.verdict } };
}
