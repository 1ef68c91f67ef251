import { isCaCert } from '@/lib/pki/cert';
import { selectionReasons } from '@/lib/pki/collect';
import type { CheckDef } from '../types';
import { certRef, KB_URL } from './common';

const FIND_AND_EXPORT = {
  text: 'On the user\'s Windows device, list the personal certificates that can be used for client authentication, then export the right one without its private key (DER .cer) and upload it with its CA certificates.',
  command:
    "Get-ChildItem Cert:\\CurrentUser\\My | Where-Object { $_.EnhancedKeyUsageList.Count -eq 0 -or $_.EnhancedKeyUsageList.ObjectId -contains '1.3.6.1.5.5.7.3.2' } | Format-List Subject, Issuer, Thumbprint, NotAfter; Export-Certificate -Cert Cert:\\CurrentUser\\My\\<THUMBPRINT> -FilePath user.cer -Type CERT",
};

export const certUser: CheckDef = {
  id: 'cert.user',
  category: 'cert',
  title: 'One user certificate to diagnose',
  description:
    'The diagnosis needs the certificate issued to the user (an end-entity certificate: not a CA, and not the issuer of another uploaded certificate). With several candidates the tool picks one, which may not be the one the device offers at sign-in.',
  citation: 'CHECKS.md cert.user; KB 4032987 (the user certificate and its issuing CA chain)',
  reference: KB_URL,
  needs: ['certs', 'user'],
  applies: (a) => (a.certs?.length || a.input.files.length ? true : 'No certificate was given.'),
  run(a) {
    const certs = a.certs ?? [];
    const candidates = a.user?.candidates ?? [];
    const chosen = a.user?.user;
    const candidateRefs = new Set(candidates.map((c) => c.ref));
    const evidence = {
      certificates: certs.map((e) => ({
        ...certRef(e),
        isCa: isCaCert(e.cert),
        endEntity: candidateRefs.has(e.ref),
        status: e.ref === chosen?.ref ? 'selected' : candidateRefs.has(e.ref) ? 'candidate' : 'not a user certificate',
      })),
      selected: chosen ? { ...certRef(chosen), reasons: selectionReasons(chosen.cert, a.input.upn).reasons } : null,
      candidates: [...candidateRefs],
    };
    if (!chosen || candidates.length === 0) {
      return {
        status: 'fail',
        summary: certs.length
          ? `None of the ${certs.length} certificate(s) is a user certificate: each one is a CA certificate or issued another uploaded certificate.`
          : 'No certificate could be read from the uploaded files, so there is no user certificate to diagnose.',
        evidence,
        remediation: [FIND_AND_EXPORT],
      };
    }
    if (candidates.length === 1) {
      return { status: 'pass', summary: `The user certificate is ${chosen.cert.subject.display} (${chosen.fileName}).`, evidence };
    }
    const others = candidates.filter((c) => c !== chosen);
    return {
      status: 'warn',
      summary: `${candidates.length} user certificates were found; the diagnosis uses ${chosen.cert.subject.display} (${chosen.fileName}, serial ${chosen.cert.serialHex}) and ignores ${others.map((o) => o.cert.subject.display).join('; ')}.`,
      evidence,
      remediation: [
        {
          text: 'Upload only the certificate the device offers at sign-in together with its CA certificates, or type the user\'s sign-in address so the certificate whose subject alternative name holds it is chosen.',
        },
        FIND_AND_EXPORT,
      ],
    };
  },
};
