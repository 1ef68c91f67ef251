// Shared by the two federation-settings kinds: Get-MsolDomainFederationSettings (MSOnline) and
// Get-MgDomainFederationConfiguration (Microsoft Graph, also its REST JSON). Both carry PromptLoginBehavior.
import { prop, readFormatList, type FlRecord } from './format-list';
import { cut, hostOfUrl, type Line } from './text';
import type { FederationSettingsData } from './types';

const MSOL_ONLY = ['activelogonuri', 'passivelogonuri', 'logoffuri', 'federationbrandname', 'supportsmfa', 'defaultinteractiveauthenticationmethod', 'extensiondata', 'passwordchangeuri', 'passwordreseturi', 'openidconnectdiscoveryendpoint'];
const MG_ONLY = ['activesigninuri', 'passivesigninuri', 'signouturi', 'federatedidpmfabehavior', 'issignedauthenticationrequestrequired', 'additionalproperties', 'displayname'];
const SHARED = ['issueruri', 'metadataexchangeuri', 'signingcertificate', 'nextsigningcertificate', 'preferredauthenticationprotocol', 'signingcertificateupdatestatus'];

const NEITHER = Object.freeze({ msol: 0, mg: 0 });
const count = (names: Set<string>, list: string[]) => {
  let n = 0;
  for (const x of list) if (names.has(x)) n++;
  return n;
};

/** Which of the two the property names (lower-case) point to, with a detection score. */
export function federationFlavour(names: Set<string>, promptValue?: string): { msol: number; mg: number } {
  // Asked of every Format-List paragraph of a paste: the usual answer allocates nothing.
  const prompt = names.has('promptloginbehavior');
  if (!prompt && count(names, SHARED) < 2) return NEITHER;
  const ms = count(names, MSOL_ONLY);
  const mg = count(names, MG_ONLY);
  const score = prompt ? 4 : 3;
  if (ms > mg) return { msol: score, mg: 0 };
  if (mg > ms) return { msol: 0, mg: score };
  // Only the shared properties: Graph spells its enum values in camelCase, MSOnline in PascalCase.
  if (promptValue && /^[a-z]/.test(promptValue.trim())) return { msol: 0, mg: score };
  return { msol: score, mg: 0 };
}

function fromRecord(r: FlRecord): FederationSettingsData {
  const p = prop(r, 'PromptLoginBehavior');
  const v = (n: string) => prop(r, n)?.value || null;
  const host = hostOfUrl(v('PassiveLogOnUri') ?? v('PassiveSignInUri') ?? v('ActiveLogOnUri') ?? v('ActiveSignInUri') ?? v('MetadataExchangeUri'));
  return {
    promptLoginBehavior: p ? { value: p.value, line: p.line, text: p.text } : null,
    preferredAuthenticationProtocol: v('PreferredAuthenticationProtocol'),
    supportsMfa: v('SupportsMfa'),
    issuerUri: v('IssuerUri'),
    federationHost: host,
    id: v('Id'),
    format: 'list',
  };
}

export function parseFederationList(lines: Line[]): FederationSettingsData {
  const records = readFormatList(lines);
  // Several records (several domains): prefer the first one that has the setting.
  const r = records.find((x) => prop(x, 'PromptLoginBehavior')) ?? records[0];
  return r ? fromRecord(r) : { promptLoginBehavior: null, preferredAuthenticationProtocol: null, supportsMfa: null, issuerUri: null, federationHost: null, id: null, format: 'list' };
}

/** Finds the federation object in Graph JSON (a bare object, or { value: [...] }). */
export function federationJsonObject(json: unknown): Record<string, unknown> | null {
  const candidates: unknown[] = [];
  if (Array.isArray(json)) candidates.push(...json);
  else if (json && typeof json === 'object') {
    const o = json as Record<string, unknown>;
    if (Array.isArray(o.value)) candidates.push(...o.value);
    candidates.push(o);
  }
  for (const c of candidates) {
    if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
    const keys = Object.keys(c).map((k) => k.toLowerCase());
    if (keys.includes('promptloginbehavior') || (keys.includes('passivesigninuri') && keys.includes('issueruri'))) return c as Record<string, unknown>;
  }
  return null;
}

export function parseFederationJson(obj: Record<string, unknown>, lines: Line[]): FederationSettingsData {
  const get = (n: string) => {
    const k = Object.keys(obj).find((x) => x.toLowerCase() === n.toLowerCase());
    const v = k === undefined ? undefined : obj[k];
    return v === undefined ? undefined : v === null ? null : String(v);
  };
  const prompt = get('promptLoginBehavior');
  const promptLine = lines.find((l) => /"promptLoginBehavior"\s*:/i.test(l.text));
  return {
    promptLoginBehavior:
      prompt === undefined ? null : { value: prompt ?? '', line: promptLine?.n ?? lines[0]?.n ?? 1, text: cut(promptLine?.text ?? `"promptLoginBehavior": ${JSON.stringify(prompt)}`) },
    preferredAuthenticationProtocol: get('preferredAuthenticationProtocol') ?? null,
    supportsMfa: null,
    issuerUri: get('issuerUri') ?? null,
    federationHost: hostOfUrl(get('passiveSignInUri') ?? get('activeSignInUri') ?? null),
    id: get('id') ?? null,
    format: 'json',
  };
}
