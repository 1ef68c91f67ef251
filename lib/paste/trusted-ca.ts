// The CAs registered in Entra ID for certificate-based authentication: the AzureAD module's
// Get-AzureADTrustedCertificateAuthority (Format-List) or Microsoft Graph JSON, either the legacy
// certificateBasedAuthConfiguration (isRootAuthority) or the PKI trust store (certificateAuthorityType).
import { parseCertificate } from '@/lib/pki/cert';
import { prop } from './format-list';
import { readRecords } from './format-table';
import { MAX_CA_CERTIFICATES, PasteRefusal } from './limits';
import { cut, hexId, nullish, type Line } from './text';
import type { TrustedCa, TrustedCaCertificateInfo, TrustedCaData } from './types';

export function scoreTrustedCaList(names: Set<string>): number {
  if (names.has('authoritytype') && (names.has('trustedissuer') || names.has('trustedissuerski') || names.has('trustedcertificate') || names.has('crldistributionpoint'))) return 4;
  if (names.has('trustedissuerski') && names.has('crldistributionpoint')) return 3;
  return 0;
}

export function authorityTypeOf(raw: string | null | undefined): TrustedCa['authorityType'] {
  if (raw == null) return null;
  const t = raw.trim().toLowerCase();
  if (t === 'rootauthority' || t === '0' || t === 'root') return 'RootAuthority';
  if (t === 'intermediateauthority' || t === '1' || t === 'intermediate') return 'IntermediateAuthority';
  return null;
}

export function parseTrustedCaList(lines: Line[]): TrustedCaData {
  const authorities: TrustedCa[] = [];
  for (const r of readRecords(lines, ['AuthorityType', 'CrlDistributionPoint', 'DeltaCrlDistributionPoint', 'TrustedIssuer', 'TrustedIssuerSki'])) {
    if (!prop(r, 'AuthorityType') && !prop(r, 'TrustedIssuer') && !prop(r, 'TrustedIssuerSki')) continue;
    const v = (n: string) => nullish(prop(r, n)?.value);
    const first = r.props[0];
    const type = v('AuthorityType');
    authorities.push({
      authorityType: authorityTypeOf(type),
      authorityTypeRaw: type,
      crlDistributionPoint: v('CrlDistributionPoint'),
      deltaCrlDistributionPoint: v('DeltaCrlDistributionPoint'),
      issuer: v('TrustedIssuer'),
      ski: hexId(v('TrustedIssuerSki')),
      certificate: null,
      expiration: null,
      displayName: null,
      store: 'classic',
      issuerHintEnabled: null,
      line: (prop(r, 'TrustedIssuer') ?? first).line,
      text: (prop(r, 'TrustedIssuer') ?? first).text,
    });
  }
  return { format: 'azuread-list', authorities };
}

const CA_KEYS = ['isrootauthority', 'certificateauthoritytype', 'certificaterevocationlisturl', 'issuerski', 'issuersubjectkeyidentifier'];

function isCaObject(o: unknown): o is Record<string, unknown> {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
  const keys = Object.keys(o).map((k) => k.toLowerCase());
  return CA_KEYS.some((k) => keys.includes(k)) && (keys.includes('certificate') || keys.includes('issuer') || keys.includes('isrootauthority') || keys.includes('certificateauthoritytype'));
}

/** Every CA object in Graph JSON, wherever the response nests it (value[], certificateAuthorities[]). */
export function trustedCaJsonObjects(json: unknown, depth = 0, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (depth > 6 || out.length > 500) return out;
  if (Array.isArray(json)) for (const x of json) trustedCaJsonObjects(x, depth + 1, out);
  else if (json && typeof json === 'object') {
    if (isCaObject(json)) out.push(json);
    else for (const v of Object.values(json)) if (v && typeof v === 'object') trustedCaJsonObjects(v, depth + 1, out);
  }
  return out;
}

/**
 * Decodes the CA certificates of one paste. Decoding is the costly part of reading Graph JSON (a fifth of a
 * millisecond each), so each distinct certificate is decoded once, and a paste holding more than Entra ID
 * can (MAX_CA_CERTIFICATES) is refused rather than read for seconds.
 */
export class CaCertificates {
  private readonly decoded = new Map<string, TrustedCaCertificateInfo | null>();

  /** The certificate of a base64 string (characters outside base64 dropped). */
  info(b64: string): TrustedCaCertificateInfo | null {
    const clean = b64.replace(/[^A-Za-z0-9+/=_-]/g, '');
    let info = this.decoded.get(clean);
    if (info === undefined) {
      if (this.decoded.size >= MAX_CA_CERTIFICATES)
        throw new PasteRefusal(
          `It looked like the Microsoft Graph list of certificate authorities, but it holds more than ${MAX_CA_CERTIFICATES} CA certificates, more than Entra ID keeps, so it was not read. Paste the output for one tenant.`,
        );
      info = certInfo(clean);
      this.decoded.set(clean, info);
    }
    return info;
  }
}

function certInfo(clean: string): TrustedCaCertificateInfo | null {
  try {
    const c = parseCertificate(new Uint8Array(Buffer.from(clean, 'base64')));
    return {
      subject: c.subject.display,
      issuer: c.issuer.display,
      ski: c.ski ?? null,
      sha1: c.sha1.toLowerCase(),
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      selfIssued: c.selfIssued,
      subjectDerBytes: c.subject.der.length,
    };
  } catch {
    return null;
  }
}

/**
 * The certificate as base64: Graph writes a base64 string; ConvertTo-Json of the PowerShell SDK's byte[] may
 * write an array of byte values instead.
 */
function base64Of(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length >= 64 && v.length <= 150_000 && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) return Buffer.from(v as number[]).toString('base64');
  return null;
}

export function parseTrustedCaJson(objects: Record<string, unknown>[], lines: Line[], certificates: CaCertificates): TrustedCaData {
  const authorities: TrustedCa[] = [];
  // Each object's line: the n-th line naming an issuer, a type or a CRL URL (JSON keeps source order).
  const anchors = lines.filter((l) => /"(isRootAuthority|certificateAuthorityType)"\s*:/i.test(l.text));
  objects.forEach((o, i) => {
    const get = (n: string) => {
      const k = Object.keys(o).find((x) => x.toLowerCase() === n.toLowerCase());
      return k === undefined ? undefined : o[k];
    };
    const str = (n: string) => {
      const v = get(n);
      return v == null ? null : nullish(String(v));
    };
    const isRoot = get('isRootAuthority');
    const typeRaw = typeof isRoot === 'boolean' ? `isRootAuthority=${isRoot}` : str('certificateAuthorityType');
    const type = typeof isRoot === 'boolean' ? (isRoot ? 'RootAuthority' : 'IntermediateAuthority') : authorityTypeOf(str('certificateAuthorityType'));
    const b64 = base64Of(get('certificate'));
    const cert = b64 && b64.length >= 100 && b64.length <= 200_000 ? certificates.info(b64) : null;
    const hint = get('isIssuerHintEnabled');
    const anchor = anchors[i] ?? lines[0];
    authorities.push({
      authorityType: type,
      authorityTypeRaw: typeRaw,
      crlDistributionPoint: str('certificateRevocationListUrl'),
      deltaCrlDistributionPoint: str('deltaCertificateRevocationListUrl'),
      issuer: cert?.subject ?? str('issuer'),
      ski: cert?.ski ?? hexId(str('issuerSki') ?? str('issuerSubjectKeyIdentifier') ?? str('subjectKeyIdentifier')),
      certificate: cert,
      expiration: str('expirationDateTime'),
      displayName: str('displayName'),
      store: typeof isRoot === 'boolean' ? 'classic' : 'pki',
      issuerHintEnabled: typeof hint === 'boolean' ? hint : typeof hint === 'string' && /^(true|false)$/i.test(hint) ? hint.toLowerCase() === 'true' : null,
      line: anchor?.n ?? 1,
      text: cut(anchor?.text ?? ''),
    });
  });
  return { format: 'graph-json', authorities };
}
