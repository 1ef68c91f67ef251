// The explicit list of every check, in report order. Adding a check = one file + one line here.
import type { CheckDef } from './types';
import { inputFiles } from './input/input.files';

export const ALL_CHECKS: CheckDef[] = [
  inputFiles,
];

/** Ids from CHECKS.md not implemented yet (the registry test keeps this honest). */
export const PENDING_CHECKS: string[] = [
  'cert.user', 'cert.validity', 'cert.san-upn', 'cert.eku', 'cert.key-usage', 'cert.key', 'cert.cdp', 'cert.user-ids',
  'chain.build', 'chain.path', 'chain.authority-types',
  'crl.location', 'crl.fetch', 'crl.download-time', 'crl.size', 'crl.format', 'crl.signature', 'crl.freshness', 'crl.revocation', 'crl.delta',
  'realm.namespace', 'realm.sts-host',
  'adfs.dns', 'adfs.https', 'adfs.metadata', 'adfs.cert-port', 'adfs.client-cert-request', 'adfs.cert-transport',
  'config.prompt-login', 'config.cert-provider', 'config.urlacl', 'config.sslcert', 'config.claim-rules', 'config.trusted-cas', 'config.certutil', 'config.server-stores',
];
