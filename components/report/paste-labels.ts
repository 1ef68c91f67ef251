import type { PasteKind } from '@/lib/paste/types';

/**
 * Short names of the paste kinds for the report's "What was tested" section (lib/paste/kinds.ts has the long
 * ones used in sentences). Used on the server only: the client gets the names as data.
 */
export const PASTE_KIND_LABEL: Record<PasteKind, string> = {
  'adfs-auth-provider': 'Get-AdfsAuthenticationProvider',
  'msol-federation': 'Get-MsolDomainFederationSettings',
  'mg-federation': 'Get-MgDomainFederationConfiguration',
  'netsh-urlacl': 'netsh http show urlacl',
  'netsh-sslcert': 'netsh http show sslcert',
  'certutil-urlfetch': 'certutil -verify -urlfetch',
  'trusted-ca': 'Entra ID trusted certificate authorities',
  'claim-rules': 'AD FS claim rules',
  verifystore: 'certutil -verifystore',
  'reg-schannel': 'reg query …\\SCHANNEL',
  'adfs-properties': 'Get-AdfsProperties',
  'adfs-ssl-certificate': 'Get-AdfsSslCertificate',
  'winhttp-proxy': 'netsh winhttp show proxy',
  'entra-method': 'Entra x509Certificate method configuration',
  'entra-user': 'Entra user (certificateUserIds)',
  'entra-groups': "Entra user's groups",
  'signin-log': 'Entra sign-in log',
  'signin-error-page': 'Entra error page details',
};
