// Short-lived "ask for these CAs" sessions. A TLS server sends its CertificateRequest before it sees any HTTP request,
// so a query parameter cannot choose the CA list; the server name (SNI) in the ClientHello can. The form registers the
// CA list here and sends the browser to ca-<token>.<certauth host>; the listener's SNICallback picks the session's
// context by that name, the way Entra serves a tenant's issuer hints on t<tenant>.certauth.login.microsoftonline.com.
// Sessions live in this process's memory (the portal and its listener share one process) for a few minutes, and in the
// report store (as JSON, sessionToJson) so that another instance behind the same load balancer, which may be the one
// that answers the handshake, finds them too (the listener's findSession; lib/report/certauth.ts wires the store).
import { randomBytes } from 'node:crypto';
import type { Cert } from '@/lib/pki/cert';
import { boundCaList } from './ca-list';
import type { CaListInfo } from './types';

export const SESSION_TTL_MS = 10 * 60_000;
export const MAX_SESSIONS = 1000;
/** DNS label of a session host: ca-<32 hex digits>. */
export const SESSION_LABEL = /^ca-([0-9a-f]{32})$/;

export interface CaListSession {
  token: string;
  /** PEM of the CA certificates that give the names (Node's `ca` option sends their subjects). */
  caPems: string[];
  info: CaListInfo;
  expires: number;
}

const KEY = Symbol.for('cba-doctor.certauth-sessions');
function sessions(): Map<string, CaListSession> {
  const g = globalThis as { [KEY]?: Map<string, CaListSession> };
  return (g[KEY] ??= new Map());
}

function prune(now: number) {
  for (const [k, s] of sessions()) if (s.expires <= now) sessions().delete(k);
}

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

export type SessionResult = { ok: true; session: CaListSession } | { ok: false; error: string };

/** Registers the CA list (bounded to 16 KB) for a few minutes; refuses when nothing usable was given. */
export function createCaListSession(certs: Cert[], source: 'uploaded' | 'pasted', now = Date.now()): SessionResult {
  const { kept, info } = boundCaList(certs, source);
  if (!kept.length)
    return {
      ok: false,
      error:
        source === 'uploaded'
          ? 'None of the uploaded files is a CA certificate, so there is no CA list to ask for. Upload the issuing and root CA certificates, or choose "any CA".'
          : 'The pasted trust store holds no CA certificate. Paste the CA certificates as PEM blocks (-----BEGIN CERTIFICATE-----), or choose "any CA".',
    };
  prune(now);
  if (sessions().size >= MAX_SESSIONS) return { ok: false, error: 'Too many certificate tests are waiting right now; try again in a few minutes.' };
  const session: CaListSession = { token: randomBytes(16).toString('hex'), caPems: kept.map((c) => pem(c.der)), info, expires: now + SESSION_TTL_MS };
  sessions().set(session.token, session);
  return { ok: true, session };
}

export function getCaListSession(token: string, now = Date.now()): CaListSession | undefined {
  const s = sessions().get(token);
  if (!s) return undefined;
  if (s.expires <= now) {
    sessions().delete(token);
    return undefined;
  }
  return s;
}

/** Keeps a session found elsewhere (the report store) in this process until it expires. */
export function rememberCaListSession(s: CaListSession, now = Date.now()): void {
  if (s.expires <= now) return;
  prune(now);
  if (sessions().size < MAX_SESSIONS) sessions().set(s.token, s);
}

/** The key a session is stored under in the report store. */
export const sessionKey = (token: string) => `ca-session:${token}`;

export function sessionToJson(s: CaListSession): string {
  return JSON.stringify(s);
}

/** A session read back from the store, or undefined when the text is not one (never trusted blindly). */
export function sessionFromJson(text: string): CaListSession | undefined {
  try {
    const v = JSON.parse(text) as Partial<CaListSession>;
    const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((y) => typeof y === 'string');
    if (typeof v.token !== 'string' || !/^[0-9a-f]{32}$/.test(v.token) || !strings(v.caPems) || typeof v.expires !== 'number') return undefined;
    const info = v.info as Partial<CaListInfo> | undefined;
    if (!info || !strings(info.names) || typeof info.bytes !== 'number' || !strings(info.dropped)) return undefined;
    return { token: v.token, caPems: v.caPems, info: { names: info.names, bytes: info.bytes, dropped: info.dropped, ...(info.source ? { source: info.source } : {}) }, expires: v.expires };
  } catch {
    return undefined;
  }
}

export function sessionHost(token: string, baseHost: string): string {
  return `ca-${token}.${baseHost}`;
}
