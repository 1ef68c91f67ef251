import type { CheckDef, Outcome } from '../types';
import { applies, chainEvidence, ENTRA_DEEP_DIVE_URL } from './common';

export const deviceChainSent: CheckDef = {
  id: 'device.chain-sent',
  category: 'device',
  title: 'CA certificates the device sent with its certificate',
  description:
    'A device may send its issuing CA certificates along with its own certificate. AD FS and Entra build the chain from their own CA stores, so this is information: it shows what this device sends, which matters for servers that rely on it.',
  citation: 'RFC 5246 7.4.6 (the client Certificate message carries the chain the client chooses to send); CHECKS.md device.chain-sent',
  reference: ENTRA_DEEP_DIVE_URL,
  needs: ['device'],
  applies: (a) => {
    const base = applies(a);
    if (base !== true) return base;
    return a.device!.chain.length ? true : 'The device presented no certificate (see device.cert-offered).';
  },
  run(a): Outcome {
    const d = a.device!;
    const cas = d.chain.slice(1);
    const evidence = { sent: d.chain.length, intermediates: cas.length, chain: chainEvidence(d), via: d.via };
    if (!cas.length)
      return {
        status: 'info',
        summary: 'The device sent its own certificate only, without CA certificates; the server has to hold the issuing CA and the root itself (AD FS and Entra do).',
        evidence,
      };
    return {
      status: 'info',
      summary: `The device sent its certificate and ${cas.length} CA certificate(s): ${cas.map((c) => c.subject ?? c.fileName).join('; ')}.`,
      evidence,
    };
  },
};
