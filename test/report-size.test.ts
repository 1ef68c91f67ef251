// A certificate with a huge subject, uploaded through the real service and stored in a real SQLite file: the stored
// report stays within twice its input plus 1 MB (it was 17 times the certificate before), the long subject is kept
// once (input.certificates) and cut wherever else it shows, with its full length stated.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCap } from '@/lib/report/bound';
import { createReport, getReport, runningDiagnoses } from '@/lib/report/service';
import { SqliteReportStore } from '@/lib/report/store';
import { makePki, tempDir, type Pki, type TempDir } from '@/test/pki/gen';

let dir: TempDir;
let store: SqliteReportStore;
let dbFile: string;
let pki: Pki;
// 40 OU values of 20,000 characters: a subject of about 800 KB, in a certificate under the 1 MB upload limit.
const HUGE_SUBJECT = ['CN=Alice Smith', ...Array.from({ length: 40 }, (_, i) => `OU=${String(i).padStart(2, '0')}${'A'.repeat(20_000)}`)].join(', ');

beforeAll(async () => {
  dir = tempDir('cbad-size-');
  dbFile = `${dir.path}/reports.db`;
  store = new SqliteReportStore(dbFile);
  pki = await makePki({ user: { subject: HUGE_SUBJECT } });
});
afterAll(async () => {
  await store.close();
  dir.cleanup();
});

describe('report size', () => {
  it('a huge-subject certificate gives a bounded stored report', async () => {
    const files = [pki.user.der, pki.ca.der, pki.root.der];
    expect(pki.user.der.length).toBeGreaterThan(800_000);
    expect(pki.user.der.length).toBeLessThan(1024 * 1024);
    const form = new FormData();
    files.forEach((der, i) => form.append('certificates', new File([new Uint8Array(der)], `cert${i}.cer`)));
    form.append('upn', 'alice@contoso.com');
    const r = await createReport(form, 'size-client', store);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await runningDiagnoses().get(r.id);

    const db = new Database(dbFile, { readonly: true });
    const row = db.prepare('SELECT json FROM reports WHERE id = ?').get(r.id) as { json: string };
    db.close();
    const stored = Buffer.byteLength(row.json);
    const input = files.reduce((s, f) => s + f.length, 0);
    expect(stored).toBeLessThanOrEqual(reportCap(input));
    expect(stored).toBeLessThan(2 * input); // in fact about the subject once, plus the rest

    const report = (await getReport(r.id, store))!;
    expect(report.status).toBe('complete');
    // The full subject is kept once, with the certificate.
    const user = report.input.certificates.find((c) => c.role === 'user')!;
    expect(user.subject.length).toBeGreaterThan(800_000);
    expect(row.json.split('A'.repeat(20_000)).length - 1).toBe(40);
    // Elsewhere it is cut, saying how long it is and where the whole value is.
    const text = JSON.stringify(report.checks);
    expect(text).toMatch(/… \[cut: [\d,]+ characters in all; the full value is the subject of certificate c\d+ in input\.certificates\]/);
    expect(report.checks.find((c) => c.id === 'cert.user')?.status).toBeDefined();
  });
});
