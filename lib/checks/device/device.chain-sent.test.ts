import { beforeAll, describe, expect, it } from 'vitest';
import { makePki, type Pki } from '@/test/pki/gen';
import { deviceCertOffered } from './device.cert-offered';
import { deviceChainSent } from './device.chain-sent';
import { diagnoseDevice, resultOf } from '@/test/device/diagnose';

let pki: Pki;
beforeAll(async () => {
  pki = await makePki({ root: { key: 'p256' }, ca: { key: 'p256' }, user: { key: 'p256' } });
});

const run = async (chain: { der: Uint8Array }[]) => resultOf(await diagnoseDevice([deviceCertOffered, deviceChainSent], chain), 'device.chain-sent');

describe('device.chain-sent', () => {
  it('names the intermediates the device sent', async () => {
    const c = await run([pki.user, pki.ca, pki.root]);
    expect(c.status).toBe('info');
    expect(c.evidence).toMatchObject({ sent: 3, intermediates: 2 });
    expect(c.summary).toContain(`2 CA certificate(s): ${pki.ca.cert.subject.display}; ${pki.root.cert.subject.display}`);
  });

  it('says when only the leaf was sent', async () => {
    const c = await run([pki.user]);
    expect(c.status).toBe('info');
    expect(c.evidence).toMatchObject({ sent: 1, intermediates: 0 });
    expect(c.summary).toMatch(/own certificate only/);
  });

  it('skips when nothing was presented (a consequence of device.cert-offered)', async () => {
    const c = await run([]);
    expect(c.status).toBe('skip');
    expect(c.summary).toMatch(/device.cert-offered/);
  });
});
