// Revocation status of every certificate in the path from the CRLs we have, per RFC 5280 section 6.3:
// CRL scope (issuer, indirect CRLs, issuing distribution point, reasons), a CRL signer that chains to the
// same root and may sign CRLs, freshness at the evaluation time, and delta CRLs on top of their base.
import type { Cert, DistributionPointInfo, GeneralNameInfo } from '../cert';
import { readTlv } from '../der';
import { parseName, type ParsedName } from '../name';
import type { CertEntry } from '../types';
import { buildChain, certificatePool } from '../chain/build';
import { crlSignedBy } from '../chain/signature';
import type { ChainResult } from '../chain/types';
import { validatePath } from '../chain/validate';
import { CRL_REASON_NAMES, KNOWN_CRL_EXTENSIONS, REASON_FLAG_NAMES } from './parse';
import type { CrlAssessment, DeltaUse, ParsedCrl, RevocationResult } from './types';

export interface RevocationInput {
  chain: ChainResult;
  crls: ParsedCrl[];
  /** Every certificate available (uploaded and AIA): CRL signers are looked up here. */
  pool: CertEntry[];
  now: Date;
}

type PerCert = RevocationResult['perCert'][number];

const IDP_OID = '2.5.29.28';
const REMOVE_FROM_CRL = 8;
const HOLD = 6;
/** ReasonFlags bits 1..8 (bit 0 "unused" never counts). */
const ALL_REASONS = 0x1fe;
const MAX_SIGNER_DEPTH = 4;

function reasonMask(names: string[] | undefined): number {
  if (!names) return ALL_REASONS;
  let m = 0;
  for (const n of names) {
    const i = (REASON_FLAG_NAMES as readonly string[]).indexOf(n);
    if (i > 0) m |= 1 << i;
  }
  return m;
}

function crlName(c: ParsedCrl) {
  return c.source.name;
}

function iso(d: Date | undefined) {
  return d ? d.toISOString() : undefined;
}

function freshnessOf(c: ParsedCrl, now: Date): CrlAssessment['freshness'] {
  if (c.thisUpdate.getTime() > now.getTime()) return 'not-yet-valid';
  if (!c.nextUpdate) return 'no-next-update';
  return c.nextUpdate.getTime() > now.getTime() ? 'current' : 'expired';
}

function freshnessProblem(c: ParsedCrl, f: CrlAssessment['freshness']): string | undefined {
  if (f === 'expired') return `it expired on ${c.nextUpdate!.toISOString()} (nextUpdate)`;
  if (f === 'not-yet-valid') return `it is not valid before ${c.thisUpdate.toISOString()} (thisUpdate)`;
  return undefined;
}

function encodeLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  while (n > 0) {
    bytes.unshift(n & 0xff);
    n = Math.floor(n / 256);
  }
  return [0x80 | bytes.length, ...bytes];
}

/** A name relative to the CRL issuer: the issuer's DN with one more RDN (RFC 5280 4.2.1.13). */
function appendRdn(base: ParsedName, rdn: Uint8Array): ParsedName | undefined {
  try {
    const t = readTlv(base.der, 0);
    const content = Buffer.concat([Buffer.from(base.der.subarray(t.valueStart, t.end)), Buffer.from(rdn)]);
    return parseName(new Uint8Array([0x30, ...encodeLength(content.length), ...content]));
  } catch {
    return undefined;
  }
}

/** Comparable keys of a distribution point name: "dir:<name key>" or "<type>:<value>". */
function nameKeys(full: GeneralNameInfo[] | undefined, dirs: ParsedName[] | undefined, relative: Uint8Array | undefined, relativeTo: ParsedName | undefined): Set<string> {
  const out = new Set<string>();
  for (const d of dirs ?? []) out.add(`dir:${d.key}`);
  for (const g of full ?? []) if (g.type !== 'dirName') out.add(`${g.type}:${g.type === 'uri' ? g.value : g.value.toLowerCase()}`);
  if (relative && relativeTo) {
    const n = appendRdn(relativeTo, relative);
    if (n) out.add(`dir:${n.key}`);
  }
  return out;
}

function intersects(a: Set<string>, b: Set<string>) {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function idpBytes(c: ParsedCrl): string {
  const e = c.extensions.find((x) => x.oid === IDP_OID);
  return e ? Buffer.from(e.value).toString('hex') : '';
}

interface Entry {
  serialHex: string;
  revocationDate: Date;
  reasonCode?: number;
  issuerKey: string;
}

interface CrlFacts {
  index: number;
  unusable: string[];
  /** Entries for the serials we care about, with the certificate issuer they apply to. */
  entries: Map<string, Entry[]>;
}

interface SignerResult {
  signer?: CertEntry;
  problems: string[];
  /** Certificates with the CRL issuer's name whose key verified it (even if unusable as signer). */
  verifiedBy?: CertEntry;
  sawNamed: boolean;
}

const CRL_NUMBER_OID = '2.5.29.20';

export function checkRevocation(input: RevocationInput): RevocationResult {
  const { chain, crls, now } = input;
  const path = chain.path;
  const anchor = chain.complete ? path[path.length - 1] : undefined;
  const pool = certificatePool(path, input.pool);
  const inPath = new Map(path.map((e, i) => [e.cert.sha256, i]));
  // Serials compare as encoded INTEGER bytes: stripping the sign octet would make 255 (00ff) equal -1 (ff).
  const serials = new Set(pool.map((e) => e.cert.serialRawHex));

  const facts = new Map<ParsedCrl, CrlFacts>();
  const signers = new Map<ParsedCrl, SignerResult>();
  const pendingSigner = new Map<ParsedCrl, CertEntry>();
  const statusMemo = new Map<string, PerCert>();
  const inProgress = new Set<string>();
  const usedFor = new Map<ParsedCrl, Set<string>>();

  const factsOf = (c: ParsedCrl): CrlFacts => {
    let f = facts.get(c);
    if (f) return f;
    f = { index: crls.indexOf(c), unusable: [], entries: new Map() };
    const unknown = c.extensions.filter((e) => e.critical && !KNOWN_CRL_EXTENSIONS.has(e.oid)).map((e) => e.oid);
    if (unknown.length) f.unusable.push(`it has critical extension(s) this tool does not understand (${unknown.join(', ')}), so it must not be used`);
    if (c.idp?.onlyContainsAttributeCerts) f.unusable.push('it only covers attribute certificates');
    // RFC 5280 5.2.3: every CRL carries a non-critical cRLNumber; Entra ID also needs it, to keep only newer CRLs.
    const numberExt = c.extensions.find((e) => e.oid === CRL_NUMBER_OID);
    if (!numberExt) f.unusable.push('it has no cRLNumber extension, which RFC 5280 (5.2.3) requires in every CRL, so it is not used for revocation');
    else if (numberExt.critical) f.unusable.push('its cRLNumber extension is marked critical, which RFC 5280 (5.2.3) forbids, so it is not used for revocation');
    let entryExt: string | undefined;
    const indirect = !!c.idp?.indirectCRL;
    const entries = f.entries;
    try {
      // One byte-comparing pass for just the path's serials: no string or object per CRL entry.
      const sc = c.scan(serials, { raw: true });
      entryExt = sc.unknownCriticalEntryExtension;
      for (const [raw, found] of sc.found) {
        entries.set(
          raw,
          found.map((e) => ({
            serialHex: e.serialHex,
            revocationDate: e.revocationDate,
            reasonCode: e.reasonCode,
            issuerKey: indirect ? (e.certificateIssuerKey ?? c.issuer.key) : c.issuer.key,
          })),
        );
      }
    } catch (err) {
      f.unusable.push(`its list of revoked certificates is malformed (${(err as Error).message})`);
    }
    if (entryExt) f.unusable.push(`an entry has a critical extension this tool does not understand (${entryExt}), so the CRL must not be used`);
    facts.set(c, f);
    return f;
  };

  const lookup = (c: ParsedCrl, cert: Cert): Entry | undefined =>
    factsOf(c).entries.get(cert.serialRawHex)?.find((e) => e.issuerKey === cert.issuer.key);

  /** RFC 5280 6.3.3 (f): a certificate with the CRL issuer's name whose key verifies it, allowed to sign CRLs,
   *  on a valid path to the same root, and itself not revoked. */
  const signerOf = (c: ParsedCrl, depth: number): SignerResult => {
    const memo = signers.get(c);
    if (memo) return memo;
    // Re-entered while judging this CRL's signer: the signer's own status is being read from the CRL it
    // signed (a CRL issuer covering itself). Its key verified the CRL, so it is taken as the signer here.
    const pending = pendingSigner.get(c);
    if (pending) return { signer: pending, problems: [], sawNamed: true };
    const res: SignerResult = { problems: [], sawNamed: false };
    const named = pool
      .filter((e) => e.cert.subject.key === c.issuer.key)
      .sort((a, b) => rank(b) - rank(a));
    function rank(e: CertEntry) {
      return (inPath.has(e.cert.sha256) ? 2 : 0) + (c.aki?.keyId && e.cert.ski === c.aki.keyId ? 1 : 0);
    }
    res.sawNamed = named.length > 0;
    for (const cand of named) {
      const sig = crlSignedBy(c, cand.cert);
      if (!sig.ok) {
        if (sig.unsupported) res.problems.push(`its signature cannot be checked with ${cand.ref}: ${sig.reason}`);
        continue;
      }
      res.verifiedBy ??= cand;
      if (cand.cert.keyUsage && !cand.cert.keyUsage.names.includes('cRLSign')) {
        res.problems.push(`${cand.ref} ("${cand.cert.subject.display}") signed it but its key usage lacks cRLSign`);
        continue;
      }
      const pos = inPath.get(cand.cert.sha256);
      if (pos !== undefined && pos > 0) {
        res.signer = cand;
        break;
      }
      pendingSigner.set(c, cand);
      const why = signerPathProblem(cand, depth);
      pendingSigner.delete(c);
      if (why) {
        res.problems.push(`${cand.ref} ("${cand.cert.subject.display}") signed it but ${why}`);
        continue;
      }
      res.signer = cand;
      break;
    }
    if (!res.signer && !res.problems.length) {
      res.problems.push(
        named.length
          ? `its signature does not verify with the key of any certificate named "${c.issuer.display}"`
          : `no certificate of its issuer "${c.issuer.display}" was given, so its signature cannot be checked`,
      );
    }
    signers.set(c, res);
    return res;
  };

  /** A CRL signer outside the main path needs its own valid path to the same root, and a good status. */
  const signerPathProblem = (cand: CertEntry, depth: number): string | undefined => {
    if (!anchor) return 'the certificate path has no trusted root to check it against';
    if (depth >= MAX_SIGNER_DEPTH) return 'its own path is nested too deeply';
    const sub = buildChain({ user: cand, certs: pool, now, anchor: anchor.cert.sha256 });
    if (!sub.complete) return `its own issuer "${sub.missing?.issuer}" is missing`;
    const root = sub.path[sub.path.length - 1];
    if (root.cert.sha256 !== anchor.cert.sha256) return 'it does not chain to the same root as the certificate';
    const v = sub.validation ?? validatePath(sub.path, { now, complete: true });
    if (!v.valid) return `its own path is not valid (${v.errors[0].message})`;
    for (let i = 0; i < sub.path.length - 1; i++) {
      const e = sub.path[i];
      if (inPath.has(e.cert.sha256) && inPath.get(e.cert.sha256)! > 0) continue; // judged with the main path
      const st = statusOf(e, sub.path[i + 1], depth + 1);
      if (st.status !== 'good') return `${e.ref === cand.ref ? 'it' : `"${e.cert.subject.display}" on its path`} is ${st.status === 'revoked' ? 'revoked' : 'of undetermined revocation status'}`;
    }
    return undefined;
  };

  const findDelta = (base: ParsedCrl, signer: CertEntry, cert: Cert): { use?: ParsedCrl; info: DeltaUse } => {
    const pointers = [...(cert.freshestCrl ?? []), ...(base.freshestCrl ?? [])];
    const info: DeltaUse = {
      status: 'not-published',
      base: crlName(base),
      deltas: [],
      pointers: [...new Set(pointers.flatMap((p) => p.urls))],
      message: '',
    };
    const scope = idpBytes(base);
    const cands = crls
      .filter((d) => d.deltaCrlIndicator !== undefined && d.issuer.key === base.issuer.key && idpBytes(d) === scope)
      .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
    info.deltas = cands.map(crlName);
    if (!cands.length) {
      if (pointers.length) {
        info.status = 'missing';
        info.message = `A delta CRL is published (Freshest CRL${info.pointers.length ? `: ${info.pointers.join(', ')}` : ''}) but none was available.`;
      } else info.message = 'No delta CRL is published.';
      return { info };
    }
    const problems: string[] = [];
    let superseded = false;
    for (const d of cands) {
      const f = factsOf(d);
      if (f.unusable.length) {
        problems.push(`${crlName(d)}: ${f.unusable.join('; ')}`);
        continue;
      }
      const sig = crlSignedBy(d, signer.cert);
      if (!sig.ok) {
        problems.push(`${crlName(d)}: not signed by the key that signed the base CRL (${sig.reason})`);
        continue;
      }
      if (base.crlNumber === undefined) {
        problems.push(`${crlName(d)}: the base CRL has no CRL number to match the delta against`);
        continue;
      }
      if (d.deltaCrlIndicator! > base.crlNumber) {
        problems.push(`${crlName(d)}: it builds on base CRL number ${d.deltaCrlIndicator}, newer than the base CRL available (number ${base.crlNumber})`);
        continue;
      }
      if (d.crlNumber !== undefined && d.crlNumber <= base.crlNumber) {
        superseded = true;
        continue;
      }
      const fr = freshnessProblem(d, freshnessOf(d, now));
      if (fr) {
        problems.push(`${crlName(d)}: ${fr}`);
        continue;
      }
      info.status = 'used';
      info.message = `Delta CRL ${crlName(d)} (number ${d.crlNumber ?? '?'}, on base ${d.deltaCrlIndicator}) was applied on top of ${crlName(base)}.`;
      return { use: d, info };
    }
    if (superseded && !problems.length) {
      info.status = 'superseded';
      info.message = `The delta CRL(s) given are older than base CRL ${crlName(base)}, which already includes them.`;
      return { info };
    }
    info.status = 'invalid';
    info.message = `No usable delta CRL for ${crlName(base)}: ${problems.join('; ')}.`;
    return { info };
  };

  /** RFC 5280 6.3.3 (b): can this complete CRL speak for `cert` through distribution point `dp`? */
  const outOfScope = (c: ParsedCrl, cert: Cert, dp: DistributionPointInfo | undefined): string | undefined => {
    const crlIssuerKeys = new Set((dp?.crlIssuerDirs ?? []).map((d) => d.key));
    if (dp?.crlIssuer?.length) {
      if (!crlIssuerKeys.has(c.issuer.key)) return `its issuer is not the CRL issuer named by the certificate's distribution point`;
      if (!c.idp?.indirectCRL) return 'the certificate names it as an indirect CRL issuer but the CRL is not marked indirect';
    } else if (c.issuer.key !== cert.issuer.key) {
      return `it was issued by "${c.issuer.display}", not by the certificate's issuer`;
    }
    const idp = c.idp;
    if (idp) {
      if (idp.fullName?.length || idp.relativeName) {
        const idpNames = nameKeys(idp.fullName, idp.fullNameDirs, idp.relativeName, c.issuer);
        let dpNames: Set<string>;
        if (dp && (dp.fullName?.length || dp.relativeName)) {
          dpNames = nameKeys(dp.fullName, dp.fullNameDirs, dp.relativeName, dp.crlIssuerDirs?.[0] ?? cert.issuer);
        } else {
          // No distribution point name in the certificate: the IDP must name the CRL issuer itself.
          dpNames = new Set(dp?.crlIssuerDirs?.length ? dp.crlIssuerDirs.map((d) => `dir:${d.key}`) : [`dir:${cert.issuer.key}`]);
        }
        if (!intersects(idpNames, dpNames)) return "its issuing distribution point does not match the certificate's CRL distribution point";
      }
      const isCa = cert.basicConstraints?.ca === true;
      if (idp.onlyContainsUserCerts && isCa) return 'it only covers end-entity certificates and this is a CA certificate';
      if (idp.onlyContainsCACerts && !isCa) return 'it only covers CA certificates and this is an end-entity certificate';
      if (idp.onlyContainsAttributeCerts) return 'it only covers attribute certificates';
    }
    return undefined;
  };

  const statusOf = (e: CertEntry, issuer: CertEntry | undefined, depth: number): PerCert => {
    const cert = e.cert;
    const memo = statusMemo.get(cert.sha256);
    if (memo) return memo;
    const out: PerCert = { ref: e.ref, subject: cert.subject.display, serialHex: cert.serialHex, status: 'undetermined', crls: [], message: '', issuerRef: issuer?.ref };
    if (inProgress.has(cert.sha256)) {
      out.message = 'Its status depends on a CRL whose signer depends on it (circular).';
      return out;
    }
    inProgress.add(cert.sha256);
    const notes: string[] = [];
    const dps: (DistributionPointInfo | undefined)[] = cert.cdp?.length ? cert.cdp : [undefined];
    const bases = crls.filter((c) => c.deltaCrlIndicator === undefined).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
    let mask = 0;
    let revoked: Entry | undefined;
    let deltaInfo: DeltaUse | undefined;
    const used: string[] = [];
    outer: for (const dp of dps) {
      for (const base of bases) {
        if (mask === ALL_REASONS || revoked) break outer;
        const scope = outOfScope(base, cert, dp);
        if (scope) {
          if (base.issuer.key === cert.issuer.key || dp?.crlIssuer?.length) notes.push(`${crlName(base)}: ${scope}`);
          continue;
        }
        const f = factsOf(base);
        if (f.unusable.length) {
          notes.push(`${crlName(base)}: ${f.unusable.join('; ')}`);
          continue;
        }
        const fr = freshnessProblem(base, freshnessOf(base, now));
        if (fr) {
          notes.push(`${crlName(base)}: ${fr}`);
          continue;
        }
        const interim = reasonMask(base.idp?.onlySomeReasons) & reasonMask(dp?.reasons);
        if (!(interim & ~mask)) continue;
        const s = signerOf(base, depth);
        if (!s.signer) {
          notes.push(`${crlName(base)}: ${s.problems.join('; ')}`);
          continue;
        }
        const d = findDelta(base, s.signer, cert);
        if (d.info.status === 'missing' || d.info.status === 'invalid') {
          deltaInfo = d.info;
          const listed = lookup(base, cert);
          // A delta can only release a hold (removeFromCRL): a permanent revocation in the base stands without it.
          if (listed && listed.reasonCode !== HOLD && listed.reasonCode !== REMOVE_FROM_CRL) {
            usedFor.get(base)?.add(e.ref) ?? usedFor.set(base, new Set([e.ref]));
            used.push(crlName(base));
            revoked = listed;
            mask |= interim;
            continue;
          }
          const held = listed?.reasonCode === HOLD ? ` The base CRL lists it on hold since ${listed.revocationDate.toISOString()}.` : '';
          notes.push(`${crlName(base)}: ${d.info.message}${held}`);
          continue;
        }
        deltaInfo = d.info;
        let entry: Entry | undefined;
        if (d.use) {
          entry = lookup(d.use, cert);
          usedFor.get(d.use)?.add(e.ref) ?? usedFor.set(d.use, new Set([e.ref]));
        }
        if (!entry) entry = lookup(base, cert);
        usedFor.get(base)?.add(e.ref) ?? usedFor.set(base, new Set([e.ref]));
        used.push(crlName(base), ...(d.use ? [crlName(d.use)] : []));
        if (entry && entry.reasonCode !== REMOVE_FROM_CRL) revoked = entry;
        mask |= interim;
      }
    }
    inProgress.delete(cert.sha256);
    out.crls = [...new Set(used)];
    if (deltaInfo) out.delta = deltaInfo;
    if (revoked) {
      out.status = 'revoked';
      out.revocationDate = revoked.revocationDate.toISOString();
      out.reason = revoked.reasonCode !== undefined ? (CRL_REASON_NAMES[revoked.reasonCode] ?? `reason ${revoked.reasonCode}`) : 'unspecified';
      out.hold = revoked.reasonCode === HOLD;
      out.message = out.hold
        ? `On hold (certificateHold) since ${out.revocationDate} in ${out.crls.join(' + ')}: suspended, not permanently revoked, but refused until the CA releases it.`
        : `Revoked on ${out.revocationDate} (${out.reason}) in ${out.crls.join(' + ')}.`;
    } else if (mask === ALL_REASONS) {
      out.status = 'good';
      out.message = `Not revoked according to ${out.crls.join(' + ')}.`;
    } else if (mask) {
      out.message = `The usable CRLs (${out.crls.join(', ')}) cover only some revocation reasons; no CRL covers the rest.${notes.length ? ` ${notes.join(' ')}` : ''}`;
    } else {
      const fromIssuer = crls.some((c) => c.issuer.key === cert.issuer.key);
      out.message = notes.length
        ? `No usable CRL: ${notes.join(' ')}`
        : fromIssuer
          ? `No CRL given covers this certificate.`
          : `No CRL issued by "${cert.issuer.display}" was given or downloaded.`;
    }
    statusMemo.set(cert.sha256, out);
    return out;
  };

  const perCert: PerCert[] = [];
  const last = anchor ? path.length - 1 : path.length;
  for (let i = 0; i < last; i++) perCert.push(statusOf(path[i], path[i + 1], 0));

  return { perCert, crls: crls.map((c, i) => assess(c, i)) };

  function assess(c: ParsedCrl, index: number): CrlAssessment {
    const f = factsOf(c);
    const freshness = freshnessOf(c, now);
    const s = signerOf(c, 0);
    const named = pool.find((e) => e.cert.subject.key === c.issuer.key && inPath.has(e.cert.sha256)) ?? pool.find((e) => e.cert.subject.key === c.issuer.key);
    const byAki = c.aki?.keyId ? pool.find((e) => e.cert.ski === c.aki!.keyId) : undefined;
    const ca = s.signer ?? s.verifiedBy ?? named ?? byAki;
    const problems = [...f.unusable];
    const fr = freshnessProblem(c, freshness);
    if (fr) problems.push(fr);
    if (!s.signer) problems.push(...s.problems);
    let aki: CrlAssessment['aki'] = 'unknown';
    if (!c.aki?.keyId) aki = 'absent';
    else if (ca?.cert.ski) aki = ca.cert.ski === c.aki.keyId ? 'match' : 'mismatch';
    return {
      index,
      source: crlName(c),
      url: c.source.url,
      issuer: c.issuer.display,
      kind: c.deltaCrlIndicator !== undefined ? 'delta' : 'base',
      crlNumber: c.crlNumber?.toString(),
      baseCrlNumber: c.deltaCrlIndicator?.toString(),
      thisUpdate: c.thisUpdate.toISOString(),
      nextUpdate: iso(c.nextUpdate),
      nextPublish: iso(c.nextPublish),
      freshness,
      signer: s.signer ? { ref: s.signer.ref, subject: s.signer.cert.subject.display, ski: s.signer.cert.ski } : undefined,
      signature: s.signer ? 'verified' : s.sawNamed ? 'bad' : 'no-issuer-cert',
      signatureMessage: s.signer
        ? `Verified with the key of ${s.signer.ref} ("${s.signer.cert.subject.display}").`
        : s.problems.join('; '),
      aki,
      caRef: ca?.ref,
      usable: problems.length === 0,
      problems,
      usedFor: [...(usedFor.get(c) ?? [])],
    };
  }
}
