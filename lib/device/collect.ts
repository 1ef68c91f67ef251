// The device collector: what the certauth listener captured (DiagnosisInput.device), joined with the parsed
// certificates so the device.* checks can name them.
import type { Collector } from '@/lib/report/collector';
import { isCaCert } from '@/lib/pki/cert';
import { platformOf } from './platform';
import type { DeviceFacts } from './types';

export const deviceCollector: Collector = {
  name: 'device certificate',
  needs: ['certs'],
  provides: ['device'],
  async run(a) {
    const d = a.input.device;
    if (!d) return {};
    const chain: DeviceFacts['chain'] = d.certificates.map((c) => {
      const e = a.certs?.find((x) => x.cert.sha256 === c.sha256);
      return {
        position: c.position,
        fileName: c.fileName,
        sha256: c.sha256,
        ref: e?.ref,
        subject: e?.cert.subject.display,
        issuer: e?.cert.issuer.display,
        isCa: e ? isCaCert(e.cert) : undefined,
        selfIssued: e?.cert.selfIssued,
      };
    });
    return { device: { ...d, ...platformOf(d.userAgent), chain } };
  },
};
