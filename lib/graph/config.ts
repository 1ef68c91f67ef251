// The operator's Microsoft Graph connection (issue 12): an app registration read with client credentials.
// Secrets and keys stay in memory; nothing of them reaches a report.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const DEFAULT_AUTHORITY = 'https://login.microsoftonline.com';
export const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';

export interface GraphSettings {
  tenantId: string;
  clientId: string;
  /** A client secret, or a certificate with its key (preferred). */
  credential: { kind: 'secret'; secret: string } | { kind: 'certificate'; privateKey: string; thumbprintSha256: string; x5c: string };
  authority: string;
  graphUrl: string;
  /** Anonymous portal submissions may use the live lookup (portals already behind corporate sign-in). */
  forAnonymous: boolean;
}

const GUID_OR_DOMAIN = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i;
const envSchema = z.object({
  CBA_DOCTOR_GRAPH_TENANT_ID: z.string().regex(GUID_OR_DOMAIN, 'a tenant id (GUID) or a verified domain name'),
  CBA_DOCTOR_GRAPH_CLIENT_ID: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'the application (client) id, a GUID'),
  CBA_DOCTOR_GRAPH_CLIENT_SECRET: z.string().min(1).optional(),
  CBA_DOCTOR_GRAPH_CLIENT_CERT: z.string().min(1).optional(),
  CBA_DOCTOR_GRAPH_AUTHORITY: z.url({ protocol: /^https$/ }).optional(),
  CBA_DOCTOR_GRAPH_URL: z.url({ protocol: /^https$/ }).optional(),
  CBA_DOCTOR_GRAPH_FOR_ANONYMOUS: z.string().optional(),
});

/** The PEM file of CBA_DOCTOR_GRAPH_CLIENT_CERT: the certificate (for its thumbprint and x5c) and its private key. */
export function certificateCredential(pem: string): Extract<GraphSettings['credential'], { kind: 'certificate' }> {
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  const keyPem = /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/.exec(pem)?.[0];
  if (!certPem || !keyPem) throw new Error('CBA_DOCTOR_GRAPH_CLIENT_CERT must name a PEM file holding the certificate and its unencrypted private key.');
  const cert = new X509Certificate(certPem);
  // MSAL wants PKCS#8.
  const privateKey = createPrivateKey(keyPem).export({ format: 'pem', type: 'pkcs8' }).toString();
  return { kind: 'certificate', privateKey, thumbprintSha256: cert.fingerprint256.replace(/:/g, ''), x5c: certPem };
}

/** The Graph settings from the environment; null when not configured; an Error naming the variable when wrong. */
export function graphSettingsFromEnv(env: Record<string, string | undefined> = process.env): GraphSettings | null | Error {
  if (!env.CBA_DOCTOR_GRAPH_TENANT_ID && !env.CBA_DOCTOR_GRAPH_CLIENT_ID) return null;
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const i = r.error.issues[0];
    return new Error(`${String(i.path[0])}: ${i.message}`);
  }
  const e = r.data;
  let credential: GraphSettings['credential'];
  try {
    if (e.CBA_DOCTOR_GRAPH_CLIENT_CERT) credential = certificateCredential(readFileSync(e.CBA_DOCTOR_GRAPH_CLIENT_CERT, 'utf8'));
    else if (e.CBA_DOCTOR_GRAPH_CLIENT_SECRET) credential = { kind: 'secret', secret: e.CBA_DOCTOR_GRAPH_CLIENT_SECRET };
    else return new Error('Set CBA_DOCTOR_GRAPH_CLIENT_CERT (a PEM file with certificate and key; preferred) or CBA_DOCTOR_GRAPH_CLIENT_SECRET.');
  } catch (err) {
    return new Error(`CBA_DOCTOR_GRAPH_CLIENT_CERT: ${(err as Error).message}`);
  }
  return {
    tenantId: e.CBA_DOCTOR_GRAPH_TENANT_ID,
    clientId: e.CBA_DOCTOR_GRAPH_CLIENT_ID,
    credential,
    authority: (e.CBA_DOCTOR_GRAPH_AUTHORITY ?? DEFAULT_AUTHORITY).replace(/\/+$/, ''),
    graphUrl: (e.CBA_DOCTOR_GRAPH_URL ?? DEFAULT_GRAPH_URL).replace(/\/+$/, ''),
    forAnonymous: e.CBA_DOCTOR_GRAPH_FOR_ANONYMOUS === '1',
  };
}

/**
 * Whether portal submissions may ask for the live lookup: the operator configured Graph and allowed it for
 * anonymous users (a report is a capability link anyone holding it can read). The reason says why not.
 */
export function liveLookupForPortal(env: Record<string, string | undefined> = process.env): { allowed: true } | { allowed: false; reason: string } {
  const s = graphSettingsFromEnv(env);
  if (s === null) return { allowed: false, reason: 'The live Microsoft Graph lookup is not configured on this portal. Paste the tenant JSON instead (see the README for the commands).' };
  if (s instanceof Error) return { allowed: false, reason: 'The live Microsoft Graph lookup is misconfigured on this portal; ask its operator. Paste the tenant JSON instead.' };
  if (!s.forAnonymous)
    return { allowed: false, reason: 'The live Microsoft Graph lookup is not offered to anonymous portal users (reports are shareable links); the operator can allow it with CBA_DOCTOR_GRAPH_FOR_ANONYMOUS=1 on a portal behind corporate sign-in. Paste the tenant JSON instead, or use the CLI with --graph.' };
  return { allowed: true };
}
