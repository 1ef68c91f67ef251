import type { Remediation, Status } from '@/lib/report/schema';
import type { CheckDef } from '../types';
import { worst } from '../types';
import { adFilter } from '@/lib/commands/powershell';
import { appliesToUser, certRef, KB_URL, sanEvidence, userEntry } from './common';

/** Remediation: compare the typed address with the directory (the value enters the AD filter through -f). */
export function compareWithDirectory(typed: string): Remediation {
  const text = `Make sure the user picked their own certificate. If the address changed after the certificate was issued, re-enroll the user so the certificate carries ${typed}; for Entra native CBA you can instead add the certificate's value to the user's certificateUserIds (see cert.user-ids) and bind PrincipalName to certificateUserIds.`;
  const filter = adFilter('userPrincipalName -eq \'{0}\'', [typed]);
  return filter
    ? { text: `${text} Compare with the directory:`, command: `Get-ADUser -Filter ${filter} -Properties proxyAddresses | Format-List userPrincipalName, proxyAddresses` }
    : { text: `${text} (No ready-made directory query: the address contains a typographic quote.)` };
}

/** Remediation: check that the certificate's RFC822 name is one of the user's proxy addresses. */
export function checkProxyAddresses(mail: string): Remediation {
  const text = 'Make sure the address is one of the user\'s proxy addresses (SMTP:), or add the UPN to the subject alternative name through the certificate template (Subject Name tab > "User principal name (UPN)") and re-enroll.';
  const filter = adFilter('mail -eq \'{0}\'', [mail]);
  return filter
    ? { text: `${text} Check the proxy addresses with:`, command: `Get-ADUser -Filter ${filter} -Properties proxyAddresses | Select-Object -ExpandProperty proxyAddresses` }
    : { text: `${text} (No ready-made directory query: the address contains a typographic quote.)` };
}
import { domainOf, routability } from './routable';
import { bindingFor } from '../entra/binding-result';

const OID_EMAIL_ATTR = '1.2.840.113549.1.9.1';

interface Problem {
  status: Status;
  code: 'no-upn-or-rfc822' | 'address-differs' | 'domain-differs' | 'non-routable' | 'rfc822-only';
  message: string;
}

/** For Entra native CBA the SAN UPN is optional: username binding can find the user another way (E-CUI, E-DD). */
const USERNAME_BINDING = {
  text: 'For Entra native CBA, the user can be found through username binding instead: in the certificate-based authentication method policy, bind a certificate field the certificate has (RFC822Name, SubjectKeyIdentifier, IssuerAndSerialNumber...) to the user\'s certificateUserIds, and add that value to the user (cert.user-ids lists the exact values and commands).',
};

const TEMPLATE_SAN_STEPS =
  'In the certificate template that issues user certificates (certtmpl.msc > template > Properties > Subject Name tab), choose "Build from this Active Directory information" and, under "Include this information in alternate subject name", tick "User principal name (UPN)". Publish the template change, then re-enroll the user (a third-party CA must be asked to put the UPN in the subject alternative name as an otherName 1.3.6.1.4.1.311.20.2.3). Check the new certificate with:';

export const certSanUpn: CheckDef = {
  id: 'cert.san-upn',
  category: 'cert',
  title: 'Sign-in address is in the subject alternative name',
  description:
    'AD FS finds the user from the certificate\'s subject alternative name: a User Principal Name (otherName 1.3.6.1.4.1.311.20.2.3) or an RFC822 (email) name, equal to the address the user signs in with and on a domain routable on the Internet; an address that appears only in the subject is not used. Entra native CBA can also find the user through username binding (certificateUserIds), so there a missing or non-routable SAN UPN is a warning.',
  citation: 'KB 4032987 (AD FS: routable address in the SAN, UPN or RFC822; RFC822 maps to proxyAddresses); Entra CBA certificateUserIds and technical deep dive (SAN UPN optional, non-routable names bind through certificateUserIds); CHECKS.md cert.san-upn',
  sources: [
    { key: 'KB', url: KB_URL, says: 'AD FS: the SAN must hold a routable UPN (or an RFC822 name)' },
    { key: 'E-CUI', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-certificateuserids', says: 'Entra: non-routable names can bind through certificateUserIds' },
    { key: 'E-DD', url: 'https://learn.microsoft.com/en-us/entra/identity/authentication/concept-certificate-based-authentication-technical-deep-dive', says: 'Entra: username binding picks the user from any configured certificate field' },
  ],
  reference: KB_URL,
  // The verdict depends on the target, which realm discovery may settle, and for Entra on the username binding.
  needs: ['user', 'realm', 'entra'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    const c = e.cert;
    const typed = a.input.upn?.trim() || undefined;
    const typedDomain = a.input.domain?.trim().toLowerCase() || undefined;
    const san = c.san ?? [];
    const upns = san.filter((g) => g.type === 'upn');
    const rfc822 = san.filter((g) => g.type === 'rfc822');
    const subjectAddresses = c.subject.rdns
      .flat()
      .filter((v) => v.type === OID_EMAIL_ATTR || v.value.includes('@'))
      .map((v) => v.value);
    const eq = (v: string) => typed !== undefined && v.trim().toLowerCase() === typed.toLowerCase();
    // The AD FS rules fail only for target adfs; Entra binds users other ways, and unknown applies the stricter
    // rule as a warning (CHECKS.md).
    const adfsRules = a.target === 'adfs';
    const bindingNote = adfsRules ? '' : ' For Entra native CBA this is a warning: username binding (certificateUserIds) can still find the user.';

    const problems: Problem[] = [];
    const remediation: Remediation[] = [];
    let used: { type: 'upn' | 'rfc822'; value: string } | undefined;
    let matchedBy: 'upn' | 'rfc822' | null = null;

    if (!upns.length && !rfc822.length) {
      const inSubject = subjectAddresses.length > 0;
      problems.push({
        status: adfsRules ? 'fail' : 'warn',
        code: 'no-upn-or-rfc822',
        message: (inSubject
          ? `The subject alternative name holds no UPN and no RFC822 name; the address appears only in the subject (${subjectAddresses.join(', ')}), which is not used to find the user.`
          : san.length
            ? `The subject alternative name holds no UPN and no RFC822 name (only ${[...new Set(san.map((g) => g.type))].join(', ')}).`
            : 'The certificate has no subject alternative name, so it carries no UPN or RFC822 name to find the user with.') + bindingNote,
      });
      if (!adfsRules) remediation.push(USERNAME_BINDING);
      remediation.push({ text: TEMPLATE_SAN_STEPS, command: 'certutil -dump user.cer' });
    } else {
      const upnMatch = upns.find((g) => eq(g.value));
      const rfcMatch = rfc822.find((g) => eq(g.value));
      if (typed !== undefined) {
        if (upnMatch) matchedBy = 'upn';
        else if (!upns.length && rfcMatch) matchedBy = 'rfc822';
        if (!matchedBy) {
          const values = (upns.length ? upns : rfc822).map((g) => g.value);
          problems.push({
            status: 'fail',
            code: 'address-differs',
            message: `The certificate's ${upns.length ? 'UPN' : 'RFC822 name'} ${values.join(', ')} differs from the address typed, ${typed}${upns.length && rfcMatch ? ' (only the RFC822 name matches, and the UPN is used first)' : ''}.`,
          });
          remediation.push(compareWithDirectory(typed));
        }
      }
      // The value AD FS / Entra would look the user up with: the UPN first, else the RFC822 name.
      const first = upnMatch ?? upns[0] ?? rfcMatch ?? rfc822[0];
      used = { type: first.type === 'upn' ? 'upn' : 'rfc822', value: first.value };
      if (typed === undefined && typedDomain && domainOf(used.value) !== typedDomain) {
        problems.push({
          status: 'warn',
          code: 'domain-differs',
          message: `The certificate's ${used.type === 'upn' ? 'UPN' : 'RFC822 name'} ${used.value} is not on the domain typed, ${typedDomain}.`,
        });
        remediation.push({ text: 'Type the user\'s full sign-in address so the certificate can be compared with it, and make sure the certificate belongs to a user of that domain.' });
      }
    }

    const routable = used ? routability(domainOf(used.value)) : typed ? routability(domainOf(typed)) : undefined;
    if (used && routable && !routable.routable) {
      problems.push({
        status: adfsRules ? 'fail' : 'warn',
        code: 'non-routable',
        message: `${used.value} is not on a routable domain: ${routable.reason}.${bindingNote}`,
      });
      if (!adfsRules) remediation.push(USERNAME_BINDING);
      remediation.push({
        text: 'Give the user a UPN on a domain that is verified in the Entra tenant: add the UPN suffix to the forest, change the user\'s UPN, let it synchronize, then re-issue the certificate so its SAN carries the new UPN. (Entra native CBA can also map a non-routable UPN through certificateUserIds, X509:<PN>.)',
        command: "Get-ADForest | Set-ADForest -UPNSuffixes @{Add='<routable-domain>'}; Set-ADUser -Identity <samAccountName> -UserPrincipalName '<user>@<routable-domain>'",
      });
    }
    const onlyRfc822 = used?.type === 'rfc822' && !problems.some((p) => p.code === 'address-differs');
    if (onlyRfc822) {
      problems.push({
        status: 'warn',
        code: 'rfc822-only',
        message: `The address is carried only as an RFC822 name (${used!.value}); Entra ID looks it up in the user's proxyAddresses, not the UPN.`,
      });
      remediation.push(checkProxyAddresses(used!.value));
    }

    // Entra native CBA: the SAN UPN is optional there; whether the certificate maps to the user is what the
    // username binding (entra.user-binding) says, when the tenant's policy and user were pasted.
    const binding = a.target === 'entra' ? bindingFor(a) : null;
    if (binding) {
      for (const p of problems) {
        if (p.code !== 'no-upn-or-rfc822' && p.code !== 'non-routable') continue;
        if (binding.matched) {
          p.status = 'info';
          p.message += ` For Entra native CBA this is not a problem by itself: the username binding ${binding.matched.field} → ${binding.matched.userProperty} maps the certificate to the user (entra.user-binding).`;
        } else p.message += ' For Entra native CBA the SAN UPN is optional, but no username binding maps the certificate to the user either (entra.user-binding).';
      }
    }
    const status = worst(problems.map((p) => p.status), 'pass');
    const evidence = {
      entraBinding: binding ? { matched: binding.matched ? { field: binding.matched.field, userProperty: binding.matched.userProperty, affinity: binding.matched.affinity } : null } : null,
      certificate: certRef(e),
      addressTyped: typed ?? null,
      domainTyped: typedDomain ?? null,
      sanEntries: sanEvidence(c),
      subjectAddresses,
      usedValue: used ?? null,
      matchedBy,
      routability: routable ?? null,
      problems,
    };
    if (status === 'info') return { status, summary: problems.map((p) => p.message).join(' '), evidence };
    if (status === 'pass') {
      return {
        status,
        summary: typed
          ? `The SAN UPN ${used!.value} equals the address typed and is on the routable domain ${routable!.domain}.`
          : `The SAN holds the UPN ${used!.value} on the routable domain ${routable!.domain} (no address was typed to compare it with).`,
        evidence,
      };
    }
    return { status, summary: problems.map((p) => p.message).join(' '), evidence, remediation };
  },
};
