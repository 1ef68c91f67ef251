// The certificateUserIds values Entra ID can bind this certificate to, as info: their rendering lives in
// lib/entra/user-ids.ts (shared with the username-binding simulation).
import type { Cert } from '@/lib/pki/cert';
import { certificateUserIds, MAX_USER_ID_LENGTH, type UserIdValue } from '@/lib/entra/user-ids';
import type { CheckDef } from '../types';
import { appliesToUser, CERT_USER_IDS_URL, certRef, psQuote, userEntry } from './common';
export { certificateUserIds, MAX_USER_ID_LENGTH, reversedSerial, userIdName, type Affinity, type UserIdValue } from '@/lib/entra/user-ids';
import { compareUserId, forwardSerialNote } from '@/lib/entra/user-id-compare';

/** Graph PowerShell adding one certificateUserIds value to a user, keeping the existing ones (both values as literals). */
export function addCertificateUserIdCommand(userId: string, value: string): string {
  return [
    "Connect-MgGraph -Scopes 'User.ReadWrite.All'",
    `$user = Get-MgUser -UserId ${psQuote(userId)} -Property Id,AuthorizationInfo`,
    `$ids = @($user.AuthorizationInfo.CertificateUserIds | Where-Object { $_ }) + ${psQuote(value)}`,
    `Update-MgUser -UserId $user.Id -AuthorizationInfo @{ certificateUserIds = $ids }`,
  ].join('\n');
}

/** Whether the user holds the value exactly, and a near miss worth telling (prefix case, serial byte order). */
function onUser(value: string, ids: string[], cert: Cert): { onUser: boolean; note?: string } {
  const c = compareUserId(value, ids);
  const note = c.note ?? (c.match ? undefined : forwardSerialNote(value, ids, cert));
  return note ? { onUser: c.match, note } : { onUser: c.match };
}

export const certUserIds: CheckDef = {
  id: 'cert.user-ids',
  category: 'cert',
  title: 'certificateUserIds values for Entra username binding',
  description:
    'Entra native CBA can bind a certificate to a user through the user\'s certificateUserIds attribute. These are the values this certificate gives for each of the seven supported mappings, with their affinity: high-affinity values (SKI, SHA1-PUKEY, issuer and serial number) tie the account to this one certificate.',
  citation: 'Microsoft Learn: Mapping to the certificateUserIds attribute in Microsoft Entra ID; Configure Microsoft Entra CBA (issuer and serial number manual mapping)',
  reference: CERT_USER_IDS_URL,
  needs: ['user', 'entra'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    // The pasted Entra user, when there is one: which of these values it already holds.
    const userIds = a.entra?.user?.certificateUserIds ?? null;
    const values = certificateUserIds(e.cert).map((x) => ({
      ...x,
      length: x.value?.length ?? 0,
      ...(x.value && x.value.length > MAX_USER_ID_LENGTH ? { tooLong: true } : {}),
      ...(userIds && x.value ? onUser(x.value, userIds, e.cert) : {}),
    }));
    const usable = values.filter((x) => x.value && x.value.length <= MAX_USER_ID_LENGTH);
    const strong = usable.find((x) => x.mapping === 'SKI') ?? usable.find((x) => x.affinity === 'high');
    const userId = a.input.upn?.trim() || '<user UPN or object id>';
    const remediation = strong
      ? [
          {
            text: `To bind this certificate to the user with a high-affinity value (${strong.mapping}), add it to the user's certificateUserIds with Microsoft Graph PowerShell (at least the Privileged Authentication Administrator role for cloud-only users; synchronized users get the value through Entra Connect). Existing values are kept. Then make sure the CBA username binding policy maps the matching certificate field to certificateUserIds.`,
            command: addCertificateUserIdCommand(userId, strong.value!),
          },
        ]
      : [];
    const compared = userIds
      ? `\nThe pasted user's certificateUserIds (${userIds.length} value${userIds.length === 1 ? '' : 's'}) hold ${values.filter((x) => x.onUser).map((x) => x.mapping).join(', ') || 'none of these'}.` +
        values.filter((x) => x.note).map((x) => `\n${x.mapping}: ${x.note}.`).join('')
      : '';
    return {
      status: 'info',
      // The values are what the user came for, so the summary lists them (one per line) and not only a count.
      summary:
        `${usable.length} of 7 certificateUserIds mappings apply to this certificate (high affinity: ${usable.filter((x) => x.affinity === 'high').map((x) => x.mapping).join(', ') || 'none'}):\n` +
        usable.map((x) => `${x.value} (${x.affinity})`).join('\n') +
        compared,
      // A live read keeps only the comparison (onUser), not the user's values themselves.
      evidence: { certificate: certRef(e), values, maxLength: MAX_USER_ID_LENGTH, userCertificateUserIds: a.entra?.sources?.user === 'graph' ? null : userIds },
      remediation,
    };
  },
};
