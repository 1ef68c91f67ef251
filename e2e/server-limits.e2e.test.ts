// The production server's limits on uploads, against a portal process of its own with short timeouts: a client that
// trickles its body is answered 408 and disconnected, and past the bound on uploads in progress a submission is
// refused at once with 503 and Retry-After; the slot comes back when the slow client is gone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './helpers';
import { startPortal, type Portal } from './server';

let dir: string;
let portal: Portal;
let world: World;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'cba-e2e-limits-'));
  world = await makeWorld();
  portal = await startPortal({
    CBA_DOCTOR_DB: path.join(dir, 'reports.db'),
    CBA_DOCTOR_REQUEST_TIMEOUT_MS: '3000',
    CBA_DOCTOR_HEADERS_TIMEOUT_MS: '2000',
    CBA_DOCTOR_MAX_UPLOADS: '1',
  });
});
afterAll(async () => {
  await portal?.stop();
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Trickle {
  /** Resolves when the server closes the connection, with everything it sent. */
  closed: Promise<string>;
  /** Bytes of body sent so far. */
  sent(): number;
  destroy(): void;
}

/** A client that announces a 100 kB multipart body and sends one byte every 200 ms (at most 60 s, then gives up). */
function trickleUpload(): Trickle {
  const { port } = new URL(portal.baseURL);
  const socket = net.connect(Number(port), '127.0.0.1');
  let got = '';
  let sent = 0;
  socket.on('data', (d) => (got += d));
  socket.on('error', () => undefined);
  socket.write('POST /api/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=XX\r\nContent-Length: 100000\r\n\r\n--XX\r\n');
  const timer = setInterval(() => {
    if (socket.writable) socket.write('a', () => sent++);
  }, 200);
  const giveUp = setTimeout(() => socket.destroy(), 60_000);
  const closed = new Promise<string>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve(got);
    }),
  );
  return { closed, sent: () => sent, destroy: () => socket.destroy() };
}

function postCert(): Promise<Response> {
  const f = new FormData();
  f.append('certificates', new File([readFileSync(world.files.userDer)], 'alice.cer'));
  return fetch(`${portal.baseURL}/api/reports`, { method: 'POST', body: f });
}

describe('upload limits of the production server', () => {
  it('answers a body that trickles past the request timeout with 408 and closes the connection', async () => {
    const t = trickleUpload();
    const answer = await t.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    // Far from the announced 100,000 bytes: the server gave up on the client, not the other way round.
    expect(t.sent()).toBeLessThan(1000);
  });

  it('refuses a submission with 503 and Retry-After while the only upload slot is held, and accepts it once freed', async () => {
    const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
    let t: Trickle | undefined;
    let refused: Response | undefined;
    // The slow upload takes the slot once its headers are in; a submission that lands first may take it instead, in
    // which case the slow one is refused and started again (bounded).
    for (let i = 0; i < 20 && !refused; i++) {
      t ??= trickleUpload();
      await sleep(300);
      const r = await postCert();
      if (r.status === 503) refused = r;
      else if (await Promise.race([t.closed.then((a) => a.startsWith('HTTP/1.1 503')), sleep(100).then(() => false)])) t = undefined;
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('retry-after')).toBe('10');
    expect(await refused?.json()).toMatchObject({ reason: 'busy', field: null, error: expect.stringContaining('try again in 10 seconds') });
    expect(await t!.closed).toMatch(/^HTTP\/1\.1 408 /);
    const ok = await postCert();
    expect(ok.status).toBe(202);
  });
});
