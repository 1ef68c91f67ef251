// Test support for the device checks: the real collectors over a device capture, the way the certauth listener
// starts a diagnosis (the presented certificates as the uploaded files). Imported by tests only.
import { createHash } from 'node:crypto';
import { EMPTY_CA_LIST } from '@/lib/device/ca-list';
import type { DeviceInput } from '@/lib/device/types';
import { ALL_COLLECTORS } from '@/lib/report/collectors';
import { runDiagnosis } from '@/lib/report/runner';
import type { CheckResult, Report } from '@/lib/report/schema';
import type { CheckDef } from '@/lib/checks/types';

export async function diagnoseDevice(checks: CheckDef[], chain: { der: Uint8Array }[], over: Partial<DeviceInput> = {}): Promise<Report> {
  const files = chain.map((c, i) => ({ name: `device-${i + 1}.cer`, bytes: c.der }));
  const device: DeviceInput = {
    via: 'tls-handshake',
    answered: true,
    certificates: files.map((f, i) => ({ position: i, fileName: f.name, sha256: createHash('sha256').update(f.bytes).digest('hex') })),
    tlsVersion: 'TLSv1.2',
    caList: EMPTY_CA_LIST,
    notes: [],
    ...over,
  };
  return runDiagnosis(
    { upn: 'alice@contoso.com', domain: 'contoso.com', files, crlFiles: [], pasted: [], device },
    { now: new Date(), offline: true, allowPrivate: false, timeoutMs: 5000 },
    { checks, collectors: ALL_COLLECTORS },
  );
}

export function resultOf(r: Report, id: string): CheckResult {
  const c = r.checks.find((x) => x.id === id);
  if (!c) throw new Error(`check ${id} is not in the report`);
  return c;
}
