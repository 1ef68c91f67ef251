import type { Artifacts } from './artifacts';
import type { CertificateRole, Report } from './schema';

function roleOf(a: Artifacts, ref: string): CertificateRole {
  if (a.user?.user?.ref === ref) return 'user';
  const inPath = a.chain?.path.find((e) => e.ref === ref);
  if (inPath) return inPath.cert.selfIssued && inPath === a.chain!.path[a.chain!.path.length - 1] ? 'root' : 'intermediate';
  return 'unrelated';
}

/** The input section of the report: what was given, never the raw bytes. */
export function reportInput(a: Artifacts): Report['input'] {
  const i = a.input;
  const pasted = (a.paste as { blocks?: { kind: string; lines: number; node?: string }[] } | undefined)?.blocks ?? [];
  return {
    upn: i.upn,
    domain: i.domain,
    federationHost: i.federationHost,
    nodes: i.nodes?.length ? i.nodes : undefined,
    tlsClientPort: i.tlsClientPort,
    ...(a.ctx.cloud ? { cloud: a.ctx.cloud } : {}),
    certificates: (a.certs ?? []).map((e) => ({
      ref: e.ref,
      fileName: e.fileName,
      sha256: e.cert.sha256,
      subject: e.cert.subject.display,
      issuer: e.cert.issuer.display,
      serialNumber: e.cert.serialHex,
      notBefore: e.cert.notBefore.toISOString(),
      notAfter: e.cert.notAfter.toISOString(),
      role: roleOf(a, e.ref),
    })),
    pasted: pasted.map((b) => ({ kind: b.kind, lines: b.lines, ...(b.node ? { node: b.node } : {}) })),
    ...(i.device ? { source: 'device' as const } : {}),
  };
}
