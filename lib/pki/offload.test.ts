// The PKI work really leaves the main thread: the event loop keeps turning while thousands of certificates are parsed
// (counted in timer callbacks, never timed), a file over its time budget becomes that file's own clear error, and the
// portal's submission check refuses such a file instead of stalling.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { genKey, makeCert, makePki, pemBundle, type GenCert } from '@/test/pki/gen';
import { parseSubmission } from '@/lib/report/service';
import { closeWorkPool, setWorkMode, workMode } from '@/lib/worker/run';
import { parseCertFile, screenCertFiles } from './offload';

let bundle: Uint8Array;
let single: GenCert;
beforeAll(async () => {
  const pki = await makePki();
  const key = await genKey('p256');
  const certs: GenCert[] = [];
  for (let i = 0; i < 250; i++) certs.push(await makeCert({ subject: `CN=User ${i},O=Contoso`, issuer: pki.ca, key, san: [{ type: 'upn', value: `u${i}@contoso.com` }] }));
  bundle = pemBundle(certs);
  single = pki.user;
});
afterEach(() => {
  delete process.env.CBA_DOCTOR_TASK_BUDGET_MS;
  setWorkMode('pool');
});
afterAll(() => closeWorkPool());

/** Timer callbacks that ran while `work` was pending: zero means the work held the event loop the whole time. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ ticks: number; out: T }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    const out = await work();
    return { ticks, out };
  } finally {
    clearInterval(timer);
  }
}

const eightBundles = () => Promise.all(Array.from({ length: 8 }, (_, i) => parseCertFile(`bundle${i}.pem`, bundle)));

describe('certificate parsing off the main thread', () => {
  it('keeps the event loop turning while 8 files of 250 certificates are parsed on the pool', async () => {
    expect(workMode()).toBe('pool');
    const { ticks, out } = await ticksDuring(eightBundles);
    expect(out.map((f) => f.certs.length)).toEqual(Array(8).fill(250));
    expect(out[0].certs[42].subject.display).toBe('CN=User 42, O=Contoso');
    expect(ticks).toBeGreaterThan(5);
  });

  it('holds the event loop for the whole parse when the work runs in-process (the CLI), so the counter can tell', async () => {
    setWorkMode('inline');
    const { ticks, out } = await ticksDuring(eightBundles);
    expect(out.map((f) => f.certs.length)).toEqual(Array(8).fill(250));
    expect(ticks).toBe(0);
  });

  it('gives certificates parsed on a worker the same fields as in-process, asn tree included', async () => {
    const [pooled] = (await parseCertFile('user.cer', single.der)).certs;
    setWorkMode('inline');
    const [local] = (await parseCertFile('user.cer', single.der)).certs;
    const { asn: _asn, ...fields } = local;
    expect({ ...pooled }).toEqual(fields);
    expect(pooled.asn.tbsCertificate.serialNumber).toEqual(local.asn.tbsCertificate.serialNumber);
  });
});

describe('time budget', () => {
  it('turns a file over budget into that file’s own error and keeps parsing the next ones', async () => {
    process.env.CBA_DOCTOR_TASK_BUDGET_MS = '1';
    const slow = await parseCertFile('store.pem', bundle);
    expect(slow.certs).toEqual([]);
    expect(slow.result.problem?.reason).toBe('over-budget');
    expect(slow.result.problem?.message).toMatch(/^Reading store\.pem took longer than 1 ms and was stopped: the file is too costly to read\./);
    delete process.env.CBA_DOCTOR_TASK_BUDGET_MS;
    expect((await parseCertFile('store.pem', bundle)).certs).toHaveLength(250);
  });

  it('screens every file of a submission on its own', async () => {
    const r = await screenCertFiles([
      { name: 'user.cer', bytes: single.der },
      { name: 'store.pem', bytes: bundle },
    ]);
    expect(r).toEqual([{ certs: 1 }, { certs: 250 }]);
  });

  it('makes the portal refuse a submission whose file is over budget, naming the file', async () => {
    process.env.CBA_DOCTOR_TASK_BUDGET_MS = '1';
    const form = new FormData();
    form.append('certificates', new File([new Uint8Array(bundle)], 'store.pem'));
    const r = await parseSubmission(form);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ field: 'certificates', reason: 'too-big' });
    expect(r.error.error).toMatch(/^store\.pem: Reading store\.pem took longer than 1 ms and was stopped/);
  });
});
