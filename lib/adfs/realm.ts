// Realm discovery: ask Entra ID how the user's domain signs in. The getuserrealm endpoint answers XML
// (with xml=1) or JSON with NameSpaceType Federated / Managed / Unknown, and for a federated domain the
// AuthURL of the federation service (AD FS), whose host is the federation host to probe.
import { guardedFetch } from '@/lib/net/http';
import { normalizeHost } from '@/lib/net/policy';
import type { Artifacts } from '@/lib/report/artifacts';
import type { Target } from '@/lib/report/schema';
import type { RealmDiscovery, RealmInfo } from './types';

export const DEFAULT_REALM_URL = 'https://login.microsoftonline.com/getuserrealm.srf';
const MAX_REALM_BYTES = 256 * 1024;

export function realmUrl(env: Record<string, string | undefined> = process.env): string {
  return env.CBA_DOCTOR_REALM_URL?.trim() || DEFAULT_REALM_URL;
}

/** The login name to ask about: the user's address, or any user at the typed domain. */
export function realmLogin(input: Artifacts['input']): string | undefined {
  if (input.upn?.includes('@')) return input.upn.trim();
  if (input.domain) return `user@${input.domain.trim()}`;
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlText(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .trim();
}

// Field name in the answer → RealmInfo property. XML and JSON use the same names (JSON sometimes in
// lower case, e.g. cloudinstancename), so lookups ignore case.
const FIELDS: [string, keyof RealmInfo][] = [
  ['NameSpaceType', 'nameSpaceType'],
  ['Login', 'login'],
  ['DomainName', 'domainName'],
  ['FederationBrandName', 'federationBrandName'],
  ['AuthURL', 'authUrl'],
  ['STSAuthURL', 'stsAuthUrl'],
  ['MEXURL', 'mexUrl'],
  ['CloudInstanceName', 'cloudInstanceName'],
  ['CloudInstanceIssuerUri', 'cloudInstanceIssuerUri'],
  ['federation_protocol', 'federationProtocol'],
  ['FederationGlobalVersion', 'federationGlobalVersion'],
  ['IsFederatedNS', 'isFederatedNS'],
];

export class RealmParseError extends Error {}

/** Reads a getuserrealm answer (XML RealmInfo or JSON). Throws RealmParseError when it is neither. */
export function parseRealmResponse(text: string): RealmInfo {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body) throw new RealmParseError('the answer was empty');
  if (body.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(body);
    } catch {
      throw new RealmParseError('the answer looks like JSON but does not parse');
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new RealmParseError('the JSON answer is not an object');
    const lower = new Map(Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k.toLowerCase(), v]));
    const info: RealmInfo = { format: 'json' };
    for (const [name, prop] of FIELDS) {
      const v = lower.get(name.toLowerCase());
      if (v !== undefined && v !== null && v !== '') (info as unknown as Record<string, string>)[prop] = String(v);
    }
    if (!info.nameSpaceType) throw new RealmParseError('the JSON answer has no NameSpaceType');
    return info;
  }
  if (body.startsWith('<')) {
    if (!/<RealmInfo\b/i.test(body)) throw new RealmParseError('the XML answer is not a RealmInfo document');
    const info: RealmInfo = { format: 'xml' };
    for (const [name, prop] of FIELDS) {
      const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}\\s*>`, 'i').exec(body);
      if (m) {
        const v = decodeXmlText(m[1]);
        if (v) (info as unknown as Record<string, string>)[prop] = v;
      }
    }
    const success = /<RealmInfo\b[^>]*\bSuccess\s*=\s*["']([^"']*)["']/i.exec(body)?.[1];
    if (success) info.success = success.toLowerCase() === 'true';
    if (!info.nameSpaceType) throw new RealmParseError('the RealmInfo answer has no NameSpaceType');
    return info;
  }
  throw new RealmParseError(`the answer is neither XML nor JSON (it starts with ${JSON.stringify(body.slice(0, 40))})`);
}

/** Federated, Managed or Unknown in canonical spelling; anything else is kept as sent. */
export function canonicalNamespace(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const k = v.trim().toLowerCase();
  return k === 'federated' ? 'Federated' : k === 'managed' ? 'Managed' : k === 'unknown' ? 'Unknown' : v.trim();
}

export function hostOfUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const h = new URL(u).hostname.toLowerCase();
    return h || undefined;
  } catch {
    return undefined;
  }
}

export function targetFor(namespace: string | undefined): Target {
  return namespace === 'Federated' ? 'adfs' : namespace === 'Managed' ? 'entra' : 'unknown';
}

export interface RealmOptions {
  /** Endpoint (default CBA_DOCTOR_REALM_URL, else the Microsoft one). */
  url?: string;
}

/** Runs realm discovery for the diagnosis input; undefined when there is nothing to ask about. */
export async function discoverRealm(a: Pick<Artifacts, 'ctx' | 'input'>, o: RealmOptions = {}): Promise<RealmDiscovery | undefined> {
  const login = realmLogin(a.input);
  if (!login || a.ctx.offline) return undefined;
  const endpoint = o.url ?? realmUrl();
  const typedHost = a.input.federationHost ? normalizeHost(a.input.federationHost) || undefined : undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return {
      login,
      endpoint,
      typedHost,
      fetch: { url: endpoint, redirects: [], ok: false, bytes: 0, totalMs: 0, error: { kind: 'url', message: `the realm discovery URL ${JSON.stringify(endpoint)} is not a valid URL (check CBA_DOCTOR_REALM_URL)` } },
    };
  }
  url.searchParams.set('login', login);
  url.searchParams.set('xml', '1');
  const { record, body } = await guardedFetch(url.href, {
    allowPrivate: a.ctx.allowPrivate,
    resolve: a.input.resolve,
    timeoutMs: a.ctx.timeoutMs,
    maxBytes: MAX_REALM_BYTES,
    headers: { accept: 'application/xml, text/xml, application/json;q=0.9, */*;q=0.1' },
  });
  const out: RealmDiscovery = { login, endpoint: url.origin + url.pathname, fetch: record, typedHost };
  if (!record.ok || !body) return out;
  try {
    const info = parseRealmResponse(Buffer.from(body).toString('utf8'));
    out.info = info;
    out.namespace = canonicalNamespace(info.nameSpaceType);
    out.authUrlHost = hostOfUrl(info.authUrl) ?? (out.namespace === 'Federated' ? hostOfUrl(info.stsAuthUrl) : undefined);
    if (!typedHost && out.namespace === 'Federated' && out.authUrlHost) out.filledHost = out.authUrlHost;
  } catch (e) {
    out.parseError = e instanceof Error ? e.message : String(e);
  }
  return out;
}
