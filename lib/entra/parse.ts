// Raw Graph objects → the normalised tenant model. Each function takes one parsed JSON value exactly as Graph
// (or ConvertTo-Json) wrote it and does not care how it arrived: the paste detector and the live Graph reader
// call the same functions, so both produce the same artifact.
import { arr, entries, has, hexOf, isObject, keysOf, objects, odataType, prop, shapeOf, str, strings, type Json } from './json';
import type { Affinity, AuthMode, AuthModeRule, CertificateUserBinding, EntraUser, GroupMembership, MethodTarget, SignInEntry, TenantSource, X509MethodConfig } from './types';

/** Affinity of each certificate field when the binding does not set trustAffinityLevel (Entra CBA deep dive). */
export const FIELD_AFFINITY: Record<string, Affinity> = {
  principalname: 'low',
  rfc822name: 'low',
  issuerandsubject: 'low',
  subject: 'low',
  subjectkeyidentifier: 'high',
  sha1publickey: 'high',
  issuerandserialnumber: 'high',
};

const onOff = (v: string | null): 'enabled' | 'disabled' | null => {
  const t = v?.toLowerCase();
  // The SDK's enum without -EnumsAsStrings: authenticationMethodState enabled = 0, disabled = 1.
  if (t === 'enabled' || t === 'enable' || t === '0') return 'enabled';
  if (t === 'disabled' || t === 'disable' || t === '1') return 'disabled';
  return null;
};

export function affinityOf(v: string | null): Affinity | null {
  const t = v?.toLowerCase();
  return t === 'low' ? 'low' : t === 'high' ? 'high' : null;
}

export function authModeOf(v: string | null): AuthMode | null {
  const t = v?.toLowerCase() ?? '';
  if (t.endsWith('singlefactor')) return 'singleFactor';
  if (t.endsWith('multifactor')) return 'multiFactor';
  return null;
}

function targets(o: Json, name: string): MethodTarget[] {
  return objects(o, name).flatMap((t) => {
    const id = str(t, 'id');
    return id ? [{ id, targetType: str(t, 'targetType') }] : [];
  });
}

// ---- the x509Certificate authentication method configuration ----

/** Does this object look like the x509Certificate method configuration? */
export function isMethodConfig(o: Json): boolean {
  const t = odataType(o);
  if (t === 'microsoft.graph.x509certificateauthenticationmethodconfiguration') return true;
  const keys = keysOf(o);
  if (str(o, 'id')?.toLowerCase() === 'x509certificate' && (keys.has('state') || keys.has('includetargets'))) return true;
  return keys.has('certificateuserbindings') && (keys.has('authenticationmodeconfiguration') || keys.has('state'));
}

export function parseMethodConfig(o: Json, source: TenantSource): X509MethodConfig {
  const bindings: CertificateUserBinding[] = objects(o, 'certificateUserBindings')
    .map((b, i) => {
      const field = str(b, 'x509CertificateField') ?? '';
      const set = affinityOf(str(b, 'trustAffinityLevel'));
      const p = Number(str(b, 'priority'));
      return {
        field,
        userProperty: str(b, 'userProperty') ?? '',
        priority: Number.isFinite(p) ? p : 1000 + i,
        affinity: set ?? FIELD_AFFINITY[field.toLowerCase()] ?? 'low',
        affinityFrom: set ? ('policy' as const) : ('field' as const),
      };
    })
    .sort((a, b) => a.priority - b.priority);
  const amc = prop(o, 'authenticationModeConfiguration');
  const mode = isObject(amc) ? amc : null;
  const rules: AuthModeRule[] = mode
    ? objects(mode, 'rules').map((r) => ({
        type: str(r, 'x509CertificateRuleType') ?? '',
        identifier: str(r, 'identifier'),
        issuerSubject: str(r, 'issuerSubjectIdentifier'),
        policyOid: str(r, 'policyOidIdentifier'),
        mode: authModeOf(str(r, 'x509CertificateAuthenticationMode')),
        modeRaw: str(r, 'x509CertificateAuthenticationMode'),
        requiredAffinity: affinityOf(str(r, 'x509CertificateRequiredAffinityLevel')),
      }))
    : [];
  const crl = prop(o, 'crlValidationConfiguration');
  const hints = prop(o, 'issuerHintsConfiguration');
  return {
    source,
    shape: shapeOf(o),
    id: str(o, 'id'),
    state: onOff(str(o, 'state')),
    stateRaw: str(o, 'state'),
    includeTargets: targets(o, 'includeTargets'),
    excludeTargets: targets(o, 'excludeTargets'),
    bindings,
    defaultMode: mode ? authModeOf(str(mode, 'x509CertificateAuthenticationDefaultMode')) : null,
    defaultRequiredAffinity: mode ? affinityOf(str(mode, 'x509CertificateDefaultRequiredAffinityLevel')) : null,
    rules,
    crlValidation: isObject(crl)
      ? { state: onOff(str(crl, 'state')), exemptedSkis: strings(crl, 'exemptedCertificateAuthoritiesSubjectKeyIdentifiers').map((s) => hexOf(s) ?? s.toLowerCase()) }
      : null,
    caScopes: objects(o, 'certificateAuthorityScopes').map((s) => ({
      ski: hexOf(str(s, 'subjectKeyIdentifier')),
      pki: str(s, 'publicKeyInfrastructureIdentifier'),
      includeTargets: targets(s, 'includeTargets'),
    })),
    issuerHints: isObject(hints) ? { state: onOff(str(hints, 'state')) } : null,
  };
}

// ---- the user ----

export function isUser(o: Json): boolean {
  const t = odataType(o);
  const keys = keysOf(o);
  if ((t && t !== 'microsoft.graph.user') || keys.has('correlationid')) return false;
  return keys.has('userprincipalname') && (keys.has('authorizationinfo') || keys.has('onpremisesuserprincipalname') || t === 'microsoft.graph.user' || keys.has('id'));
}

export function parseUser(o: Json, source: TenantSource): EntraUser {
  const auth = prop(o, 'authorizationInfo');
  const groupsRaw = has(o, 'transitiveMemberOf') ? arr(o, 'transitiveMemberOf') : has(o, 'memberOf') ? arr(o, 'memberOf') : null;
  return {
    source,
    shape: shapeOf(o),
    id: str(o, 'id'),
    userPrincipalName: str(o, 'userPrincipalName'),
    onPremisesUserPrincipalName: str(o, 'onPremisesUserPrincipalName'),
    mail: str(o, 'mail'),
    certificateUserIds: isObject(auth) ? strings(auth, 'certificateUserIds').slice(0, 100) : null,
    groupIds: groupsRaw ? groupIdsOf(groupsRaw) : null,
  };
}

// ---- the user's groups (transitiveMemberOf?$select=id) ----

function groupIdsOf(list: unknown[]): string[] {
  return list.flatMap((g) => {
    if (!isObject(g)) return [];
    const t = odataType(g);
    if (t && t !== 'microsoft.graph.group') return [];
    const id = str(g, 'id');
    return id ? [id] : [];
  });
}

/** A memberOf / transitiveMemberOf answer: a collection of directory objects that carry an id and nothing user-like. */
export function isGroupList(v: unknown): boolean {
  const ctx = isObject(v) ? (str(v, '@odata.context') ?? '') : '';
  if (/memberOf/i.test(ctx)) return true;
  const list = entries(v, 5000);
  if (!list.length || (isObject(v) && !Array.isArray(prop(v, 'value')) && !Array.isArray(v))) return false;
  return list.every((g) => {
    const t = odataType(g);
    if (t) return t === 'microsoft.graph.group' || t === 'microsoft.graph.directoryrole' || t === 'microsoft.graph.administrativeunit';
    const keys = [...keysOf(g)].filter((k) => k !== 'additionalproperties');
    // Get-MgUserTransitiveMemberOf | ConvertTo-Json: Id and DeletedDateTime (the rest sits in AdditionalProperties).
    return keys.includes('id') && keys.every((k) => k === 'id' || k === 'deleteddatetime' || k === 'displayname');
  });
}

export function parseGroups(v: unknown, source: TenantSource): GroupMembership {
  const list = entries(v, 5000);
  return { source, shape: list[0] ? shapeOf(list[0]) : 'graph', groupIds: groupIdsOf(list) };
}

// ---- sign-in log entries (auditLogs/signIns) ----

export function isSignIn(o: Json): boolean {
  const keys = keysOf(o);
  return keys.has('correlationid') && keys.has('status') && (keys.has('createddatetime') || keys.has('appdisplayname') || keys.has('userprincipalname'));
}

const codeOf = (v: string | null): number | null => {
  if (v === null) return null;
  const m = /^(?:AADSTS)?(\d{1,9})$/i.exec(v.trim());
  return m ? Number(m[1]) : null;
};

export function parseSignIn(o: Json, source: TenantSource, where: string): SignInEntry {
  const status = prop(o, 'status');
  const s = isObject(status) ? status : {};
  const details: string[] = [];
  for (const d of objects(o, 'authenticationDetails')) {
    const m = str(d, 'authenticationMethod');
    const detail = str(d, 'authenticationStepResultDetail');
    const text = [m, str(d, 'authenticationMethodDetail'), detail].filter(Boolean).join(' — ');
    if (text && /certif|x509|smart/i.test(text)) details.push(text.slice(0, 300));
  }
  for (const d of objects(o, 'authenticationProcessingDetails')) {
    const k = str(d, 'key');
    const v = str(d, 'value');
    if (k && /cert|x509|issuer|serial|subject|policy/i.test(k)) details.push(`${k}: ${(v ?? '').slice(0, 300)}`);
  }
  return {
    from: 'sign-in-log',
    source,
    correlationId: str(o, 'correlationId'),
    requestId: str(o, 'id'),
    timestamp: str(o, 'createdDateTime'),
    errorCode: codeOf(str(s, 'errorCode')),
    message: null,
    failureReason: str(s, 'failureReason'),
    additionalDetails: str(s, 'additionalDetails'),
    appDisplayName: str(o, 'appDisplayName'),
    userPrincipalName: str(o, 'userPrincipalName'),
    certificateDetails: details.slice(0, 20),
    where,
  };
}

// ---- the error page's "More details" / troubleshooting block ----

const ERROR_PAGE_FIELD = /^(Request Id|Correlation Id|Timestamp|Message|Error Code|App name|App id|Trace Id|User account|IP address|Device identifier|Device platform|Device state|Advanced diagnostics)\s*:\s*(.*)$/i;
export const AADSTS_CODE = /\bAADSTS(\d{5,8})\b/;
const INLINE: [string, RegExp][] = [
  ['correlation id', /Correlation ID:\s*([0-9a-f-]{36})/i],
  ['trace id', /Trace ID:\s*([0-9a-f-]{36})/i],
  ['timestamp', /Timestamp:\s*(\d{4}-\d\d-\d\d[ T][\d:.]+Z?)/i],
];

/** Lines of the error page's details block (as copied with "Copy info to clipboard" or by hand). */
export function parseErrorPage(lines: { n: number; text: string }[], source: TenantSource, where: (n: number) => string): SignInEntry | null {
  const f = new Map<string, string>();
  let firstLine = 0;
  let code: number | null = null;
  let message: string | null = null;
  for (const l of lines) {
    const t = l.text.trim();
    const m = ERROR_PAGE_FIELD.exec(t);
    if (m) {
      const k = m[1].toLowerCase();
      if (!f.has(k)) f.set(k, m[2].trim());
      firstLine ||= l.n;
    }
    const c = AADSTS_CODE.exec(t);
    if (c && code === null) {
      code = Number(c[1]);
      message = t.replace(/^Message\s*:\s*/i, '').slice(0, 600);
      firstLine ||= l.n;
    }
  }
  if (code === null && f.has('error code')) code = codeOf(f.get('error code') ?? null);
  // The same details written inline, as in an error_description: "AADSTS…: … Trace ID: … Correlation ID: … Timestamp: …".
  const all = lines.map((l) => l.text).join('\n');
  for (const [k, re] of INLINE) if (!f.has(k)) { const m = re.exec(all); if (m) f.set(k, m[1].trim()); }
  if (!f.has('correlation id') && !f.has('request id') && code === null) return null;
  return {
    from: 'error-page',
    source,
    correlationId: f.get('correlation id') || null,
    requestId: f.get('request id') || f.get('trace id') || null,
    timestamp: f.get('timestamp') || null,
    errorCode: code,
    message: message ?? (f.get('message') || null),
    failureReason: null,
    additionalDetails: null,
    appDisplayName: f.get('app name') || null,
    userPrincipalName: f.get('user account') || null,
    certificateDetails: [],
    where: where(firstLine || lines[0]?.n || 1),
  };
}
