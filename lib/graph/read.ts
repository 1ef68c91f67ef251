// A live read of the tenant's side of native CBA through Microsoft Graph: the same objects an admin would paste,
// handed to the same lib/entra readers (source 'graph'), so the checks judge a live read and a paste alike.
// Graph errors are evidence: each call records its status and, for 401/403/404/429, what it means in words.
import { entries, isObject } from '@/lib/entra/json';
import { isGroupList, parseGroups, parseMethodConfig, parseSignIn, parseUser } from '@/lib/entra/parse';
import { parseTrustStoreJson, tenantCa } from '@/lib/entra/trust-store';
import type { EntraTenant, TenantCa } from '@/lib/entra/types';
import type { GraphSettings } from './config';
import { apiRequest, type NetOptions } from './network';
import { graphToken, GraphTokenError } from './token';

export interface GraphCall {
  what: string;
  path: string;
  status: number | null;
  /** What went wrong, in words (permission missing, not found, throttled...). */
  problem?: string;
  /** Graph's own error code (Authorization_RequestDenied...), when it sent one. */
  graphCode?: string;
  retriedAfterMs?: number;
}

export interface GraphRead {
  at: string;
  tenant: EntraTenant | null;
  calls: GraphCall[];
  /** The token could not be had: nothing was read. */
  tokenError?: string;
  userNotFound?: boolean;
}

const PERMISSION: Record<string, string> = {
  method: 'Policy.Read.All',
  user: 'User.Read.All',
  groups: 'GroupMember.Read.All',
  'pki store': 'Organization.Read.All',
  'classic store': 'Organization.Read.All',
  'sign-in log': 'AuditLog.Read.All',
};

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ReadOptions {
  upn: string;
  correlationId?: string;
  net: NetOptions;
  /** Absolute time (ms since epoch) after which no call starts and no Retry-After is waited for. */
  deadline: number;
}

export async function readTenant(s: GraphSettings, o: ReadOptions): Promise<GraphRead> {
  const at = new Date().toISOString();
  const calls: GraphCall[] = [];
  let token: string;
  try {
    token = await graphToken(s, o.net);
  } catch (e) {
    const code = e instanceof GraphTokenError ? e.code : null;
    return { at, tenant: null, calls, tokenError: `No Graph token for the app ${s.clientId} in tenant ${s.tenantId}${code ? ` (${code})` : ''}: ${(e as Error).message.slice(0, 400)}` };
  }

  const get = async (what: string, path: string): Promise<unknown> => {
    const call: GraphCall = { what, path, status: null };
    calls.push(call);
    for (let attempt = 0; attempt < 2; attempt++) {
      const left = o.deadline - Date.now();
      if (left <= 0) {
        call.problem = 'not read: the diagnosis time limit was reached';
        return undefined;
      }
      const r = await apiRequest(`${s.graphUrl}${path}`, o.net, { headers: { authorization: `Bearer ${token}` }, timeoutMs: Math.min(o.net.timeoutMs, left) });
      if (!r.record.ok) {
        call.problem = r.record.error?.kind === 'timeout' ? `Graph did not answer in time (${r.record.error.message})` : `Graph could not be reached: ${r.record.error?.message ?? 'no answer'}`;
        return undefined;
      }
      const status = r.record.httpStatus ?? 0;
      call.status = status;
      const err = isObject(r.json) && isObject(r.json.error) ? r.json.error : null;
      if (err && typeof err.code === 'string') call.graphCode = err.code;
      if (status >= 200 && status < 300) return r.json;
      if (status === 429 && attempt === 0) {
        const secs = Number(r.record.headers?.['retry-after'] ?? '1');
        const wait = Math.max(0, Math.min(Number.isFinite(secs) ? secs * 1000 : 1000, 60_000));
        if (Date.now() + wait >= o.deadline) {
          call.problem = `throttled by Graph (429); the Retry-After of ${secs} s goes past the diagnosis time limit`;
          return undefined;
        }
        call.retriedAfterMs = wait;
        await new Promise((res) => setTimeout(res, wait));
        continue;
      }
      if (status === 401) call.problem = 'Graph refused the token (401): check the app registration and its credential';
      else if (status === 403) call.problem = `Graph denied the request (403): the app needs the application permission ${PERMISSION[what] ?? 'for this data'}, granted with admin consent`;
      else if (status === 404) call.problem = 'not found (404)';
      else if (status === 429) call.problem = 'throttled by Graph (429) again after waiting once';
      else call.problem = `Graph answered HTTP ${status}`;
      return undefined;
    }
    return undefined;
  };

  const upn = encodeURIComponent(o.upn);
  const [method, user, groups, pkiConfigs, org, signIns] = await Promise.all([
    get('method', '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate'),
    get('user', `/v1.0/users/${upn}?$select=id,userPrincipalName,onPremisesUserPrincipalName,mail,authorizationInfo`),
    get('groups', `/v1.0/users/${upn}/transitiveMemberOf?$select=id`),
    get('pki store', '/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations?$select=id'),
    get('classic store', '/v1.0/organization?$select=id'),
    o.correlationId && GUID.test(o.correlationId) ? get('sign-in log', `/v1.0/auditLogs/signIns?$filter=${encodeURIComponent(`correlationId eq '${o.correlationId}'`)}`) : Promise.resolve(undefined),
  ]);

  const pki: TenantCa[] = [];
  for (const c of entries(pkiConfigs).slice(0, 10)) {
    const id = typeof c.id === 'string' ? c.id : null;
    if (!id) continue;
    const cas = await get('pki store', `/beta/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/${encodeURIComponent(id)}/certificateAuthorities`);
    if (cas !== undefined) pki.push(...parseTrustStoreJson(cas).authorities.map((a) => tenantCa(a, `Graph: PKI ${id}`)));
  }
  let classic: TenantCa[] | null = null;
  const orgId = entries(org).map((x) => x.id).find((x): x is string => typeof x === 'string');
  if (orgId) {
    const cfg = await get('classic store', `/v1.0/organization/${encodeURIComponent(orgId)}/certificateBasedAuthConfiguration`);
    if (cfg !== undefined) classic = parseTrustStoreJson(cfg).authorities.map((a) => tenantCa(a, 'Graph: classic store'));
  }
  const userNotFound = calls.some((c) => c.what === 'user' && c.status === 404);
  const methodObj = isObject(method) ? method : null;
  const userObj = isObject(user) ? user : null;
  const tenant: EntraTenant = {
    source: 'graph',
    method: methodObj ? parseMethodConfig(methodObj, 'graph') : null,
    user: userObj ? parseUser(userObj, 'graph') : null,
    groups: groups !== undefined && (isGroupList(groups) || entries(groups).length === 0) ? parseGroups(groups, 'graph') : null,
    pkiStore: pki.length ? pki : null,
    classicStore: classic?.length ? classic : null,
    signIns: entries(signIns, 50).map((e) => parseSignIn(e, 'graph', 'Graph sign-in log')),
    crlFetches: [],
  };
  return { at, tenant, calls, ...(userNotFound ? { userNotFound } : {}) };
}
