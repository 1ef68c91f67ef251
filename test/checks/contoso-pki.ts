// Test helper: a generated PKI shaped like the Contoso hierarchy of the paste samples (same names, the
// SKIs the samples show, the CRL URLs certutil printed), so pasted outputs can be judged against it.
import { days, makePki, type Pki } from '@/test/pki/gen';

export const ROOT_SKI = 'a1ed38949efe856cb43e76e630ad88460cff3428';
export const ISSUING_SKI = 'a83d2b0a43ece2fd1d6ae0c906eef82ea619c7e0';
export const ROOT_CRL = 'http://crl.contoso.com/pki/Contoso%20Root%20CA.crl';
export const ISSUING_CRL = 'http://pki.contoso.com/cdp/Contoso%20Issuing%20CA.crl';

export function contosoPki(o: { issuingCrl?: string; caNotAfter?: Date; ski?: boolean } = {}): Promise<Pki> {
  const ski = o.ski ?? true;
  return makePki({
    root: { subject: 'CN=Contoso Root CA, O=Contoso, C=US', key: 'p256', ...(ski ? { ski: ROOT_SKI } : {}) },
    ca: {
      subject: 'CN=Contoso Issuing CA, DC=contoso, DC=com',
      key: 'p256',
      cdp: [[ROOT_CRL]],
      ...(ski ? { ski: ISSUING_SKI } : {}),
      ...(o.caNotAfter ? { notBefore: days(-400), notAfter: o.caNotAfter } : {}),
    },
    user: { subject: 'CN=Alice Smith, OU=Users, OU=Contoso, DC=contoso, DC=com', key: 'p256', cdp: [[o.issuingCrl ?? ISSUING_CRL]] },
  });
}
