// Is the domain of a sign-in address one the Internet can route to? Decided with the Public Suffix List
// (tldts): a registrable domain under a known ICANN suffix. Names like contoso.local, corp.lan, x.corp,
// x.internal or a single label fail; so do special-use names (RFC 6761 / RFC 8375: .test, .example,
// .invalid, home.arpa, .onion...), which no tenant can verify.
import { parse } from 'tldts';

export interface Routability {
  domain: string;
  routable: boolean;
  publicSuffix: string | null;
  registrableDomain: string | null;
  /** Why it is not routable. */
  reason?: string;
}

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return (at >= 0 ? address.slice(at + 1) : address).trim().replace(/\.$/, '').toLowerCase();
}

export function routability(domain: string): Routability {
  const d = domain.trim().replace(/\.$/, '').toLowerCase();
  const base = { domain: d, publicSuffix: null, registrableDomain: null };
  if (!d) return { ...base, routable: false, reason: 'the address has no domain part' };
  if (!d.includes('.')) return { ...base, routable: false, reason: `"${d}" is a single-label name, which is not a domain on the Internet` };
  const p = parse(d, { detectSpecialUse: true, allowPrivateDomains: false });
  const out = { domain: d, publicSuffix: p.publicSuffix, registrableDomain: p.domain };
  if (p.isIp) return { ...out, routable: false, reason: `"${d}" is an IP address, not a domain` };
  if (!p.hostname) return { ...out, routable: false, reason: `"${d}" is not a valid domain name` };
  if (!p.isIcann) return { ...out, routable: false, reason: `".${p.publicSuffix}" is not a public top-level domain (not in the Public Suffix List), so "${d}" exists only inside a private network` };
  if (!p.domain) return { ...out, routable: false, reason: `"${d}" is itself a public suffix, not a domain anyone can register` };
  // example.com/.net/.org are special-use but real, registered and routable domains.
  if (p.isSpecialUse && !/^example\.(com|net|org)$/.test(p.domain)) return { ...out, routable: false, reason: `"${d}" is reserved for special use (RFC 6761) and cannot be a verified domain` };
  return { ...out, routable: true };
}
