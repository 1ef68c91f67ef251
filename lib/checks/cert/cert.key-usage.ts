import { OID } from '@/lib/pki/cert';
import type { CheckDef } from '../types';
import { appliesToUser, certRef, KB_URL, userEntry } from './common';

export const certKeyUsage: CheckDef = {
  id: 'cert.key-usage',
  category: 'cert',
  title: 'User certificate key may sign (digitalSignature)',
  description:
    'In TLS client authentication the device proves it holds the private key by signing the handshake, so a Key Usage extension must include digitalSignature. Without the extension every usage is allowed.',
  citation: 'CHECKS.md cert.key-usage; RFC 5280 section 4.2.1.3; RFC 8446 section 4.4.3',
  reference: KB_URL,
  needs: ['user'],
  applies: appliesToUser,
  run(a) {
    const e = userEntry(a)!;
    const ku = e.cert.keyUsage;
    const evidence = {
      certificate: certRef(e),
      present: ku !== undefined,
      critical: e.cert.extensions.find((x) => x.oid === OID.keyUsage)?.critical ?? null,
      usages: ku?.names ?? [],
      digitalSignature: ku ? ku.names.includes('digitalSignature') : null,
    };
    if (!ku) return { status: 'pass', summary: 'The certificate has no Key Usage extension, so its key may be used for signatures.', evidence };
    if (ku.names.includes('digitalSignature')) return { status: 'pass', summary: `The Key Usage includes digitalSignature (${ku.names.join(', ')}).`, evidence };
    return {
      status: 'fail',
      summary: `The Key Usage is ${ku.names.length ? ku.names.join(', ') : 'empty'} without digitalSignature, so the key may not sign the TLS handshake and client authentication fails.`,
      evidence,
      remediation: [
        {
          text: 'In the certificate template (certtmpl.msc > template > Properties): on the Request Handling tab set Purpose to "Signature and encryption" or "Signature" (an "Encryption" purpose removes digitalSignature), and on the Extensions tab > Key Usage > Edit tick "Digital signature". Publish the change, re-enroll the user, and check the "Key Usage" line of the new certificate with:',
          command: 'certutil -dump user.cer',
        },
      ],
    };
  },
};
