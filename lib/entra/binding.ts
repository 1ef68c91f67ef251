// Username binding as Entra ID documents it (CBA technical deep dive; Graph x509CertificateUserBinding):
// the bindings run in priority order and the first one that finds a user wins; each certificate field is
// rendered the way Entra renders it (certificateUserIds forms from cert.user-ids, the one place they are
// built); when high affinity is required (by default or by a rule matching this certificate) the
// low-affinity bindings are not used at all.
import type { Cert } from '@/lib/pki/cert';
import { certificateUserIds, type UserIdValue } from './user-ids';
import type { Affinity, CertificateUserBinding, EntraUser } from './types';
import { FIELD_AFFINITY } from './parse';
import { compareUserId, forwardSerialNote } from './user-id-compare';

/** The bindings Entra uses when the policy lists none (the admin center's defaults). */
export const DEFAULT_BINDINGS: CertificateUserBinding[] = [
  { field: 'PrincipalName', userProperty: 'userPrincipalName', priority: 1, affinity: 'low', affinityFrom: 'field' },
  { field: 'RFC822Name', userProperty: 'userPrincipalName', priority: 2, affinity: 'low', affinityFrom: 'field' },
  { field: 'SubjectKeyIdentifier', userProperty: 'certificateUserIds', priority: 3, affinity: 'high', affinityFrom: 'field' },
  { field: 'SHA1PublicKey', userProperty: 'certificateUserIds', priority: 4, affinity: 'high', affinityFrom: 'field' },
];

const MAPPING: Record<string, UserIdValue['mapping']> = {
  principalname: 'PrincipalName',
  rfc822name: 'RFC822Name',
  subjectkeyidentifier: 'SKI',
  sha1publickey: 'SHA1PublicKey',
  issuerandserialnumber: 'IssuerAndSerialNumber',
  issuerandsubject: 'IssuerAndSubject',
  subject: 'Subject',
};

export interface BindingStep {
  priority: number;
  field: string;
  userProperty: string;
  affinity: Affinity;
  /** The value Entra looks the user up with (the certificateUserIds form for certificateUserIds). */
  value: string | null;
  /** The user's value(s) for that property, as compared. */
  userValues: string[];
  outcome: 'match' | 'no-match' | 'no-value' | 'dropped-low-affinity' | 'unsupported' | 'user-property-unknown';
  /** A near miss worth telling: a prefix in the wrong case, a serial in certutil's byte order... */
  note?: string;
}

export interface BindingSimulation {
  bindings: 'policy' | 'default';
  requiredAffinity: Affinity;
  steps: BindingStep[];
  matched: BindingStep | null;
  /** A low-affinity binding that would have matched had high affinity not been required. */
  droppedMatch: BindingStep | null;
  /** Earlier bindings whose value is an address that is not this user's: Entra may find another account with it. */
  otherAccount: BindingStep[];
}

/** Lookup of a UPN-like value: Entra compares these case-insensitively. */
const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function simulateBinding(cert: Cert, user: EntraUser, policy: CertificateUserBinding[], requiredAffinity: Affinity): BindingSimulation {
  const values = certificateUserIds(cert);
  const bindings = policy.length ? policy : DEFAULT_BINDINGS;
  const upn = cert.san?.find((g) => g.type === 'upn')?.value ?? null;
  const rfc822 = cert.san?.find((g) => g.type === 'rfc822')?.value ?? null;
  const steps: BindingStep[] = [];
  let matched: BindingStep | null = null;
  let droppedMatch: BindingStep | null = null;
  for (const b of bindings) {
    const field = b.field.toLowerCase();
    const prop = b.userProperty.toLowerCase();
    const mapping = MAPPING[field];
    const base = { priority: b.priority, field: b.field, userProperty: b.userProperty, affinity: b.affinity ?? FIELD_AFFINITY[field] ?? 'low' };
    let step: BindingStep;
    if (!mapping) step = { ...base, value: null, userValues: [], outcome: 'unsupported', note: `"${b.field}" is not a certificate field Entra binds with` };
    else if (prop === 'certificateuserids') {
      const value = values.find((v) => v.mapping === mapping)?.value ?? null;
      const ids = user.certificateUserIds;
      if (value === null) step = { ...base, value, userValues: ids ?? [], outcome: 'no-value', note: values.find((v) => v.mapping === mapping)?.missing };
      else if (ids === null) step = { ...base, value, userValues: [], outcome: 'user-property-unknown', note: 'the pasted user has no authorizationInfo (select it)' };
      else {
        const c = compareUserId(value, ids);
        step = { ...base, value, userValues: ids, outcome: c.match ? 'match' : 'no-match', note: c.note ?? forwardSerialNote(value, ids, cert) };
      }
    } else if (prop === 'userprincipalname' || prop === 'onpremisesuserprincipalname') {
      const raw = mapping === 'PrincipalName' ? upn : mapping === 'RFC822Name' ? rfc822 : undefined;
      const mine = prop === 'userprincipalname' ? user.userPrincipalName : user.onPremisesUserPrincipalName;
      if (raw === undefined) step = { ...base, value: null, userValues: mine ? [mine] : [], outcome: 'unsupported', note: `only PrincipalName and RFC822Name bind to ${b.userProperty}` };
      else if (raw === null) step = { ...base, value: null, userValues: mine ? [mine] : [], outcome: 'no-value', note: values.find((v) => v.mapping === mapping)?.missing };
      else step = { ...base, value: raw, userValues: mine ? [mine] : [], outcome: mine && sameAddress(raw, mine) ? 'match' : 'no-match' };
    } else step = { ...base, value: null, userValues: [], outcome: 'unsupported', note: `"${b.userProperty}" is not a user property Entra binds to` };
    if (requiredAffinity === 'high' && step.affinity === 'low') {
      if (step.outcome === 'match') droppedMatch ??= step;
      step = { ...step, outcome: 'dropped-low-affinity' };
    }
    steps.push(step);
    if (step.outcome === 'match' && !matched) matched = step;
  }
  const before = matched ? steps.slice(0, steps.indexOf(matched)) : steps;
  const otherAccount = before.filter((s) => s.outcome === 'no-match' && s.value !== null && (s.userProperty.toLowerCase() !== 'certificateuserids'));
  return { bindings: policy.length ? 'policy' : 'default', requiredAffinity, steps, matched, droppedMatch, otherAccount };
}
