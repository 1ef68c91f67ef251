// The portal's HTTP server: Next's request handler (the production build in .next) on a Node server whose timeouts
// suit an upload form. `next start` keeps Node's defaults, under which a request may take 300 s to arrive: clients
// trickling uploads each held a socket and a growing body for five minutes (4,000 of them took the process from
// 285 MB to 951 MB). Here a request must arrive whole within CBA_DOCTOR_REQUEST_TIMEOUT_MS (default 60 s: a 10 MB
// upload at 2 Mbit/s) and its headers within CBA_DOCTOR_HEADERS_TIMEOUT_MS (default 15 s), checked every second;
// a late request gets 408 and its connection is closed.
//
//   node scripts/serve.mjs [-p PORT] [-H HOST]        (PORT and HOSTNAME from the environment otherwise)
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.NODE_ENV = 'production';
process.env.NEXT_TELEMETRY_DISABLED = '1';

function arg(flag, fallback) {
  const i = process.argv.indexOf(flag);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
function ms(name, fallback) {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const port = Number(arg('-p', process.env.PORT || '3000'));
const hostname = arg('-H', process.env.HOSTNAME || undefined);
const requestTimeout = ms('CBA_DOCTOR_REQUEST_TIMEOUT_MS', 60_000);
const headersTimeout = Math.min(ms('CBA_DOCTOR_HEADERS_TIMEOUT_MS', 15_000), requestTimeout);

const { default: next } = await import('next');
const app = next({ dev: false, dir: root, hostname: hostname ?? 'localhost', port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval: 1000, keepAliveTimeout: 5000 }, (req, res) => {
  handle(req, res).catch((e) => {
    console.error(`cba-doctor: request ${req.method} ${req.url} failed: ${e instanceof Error ? e.message : String(e)}`);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('Internal Server Error');
  });
});
server.on('error', (e) => {
  console.error(`cba-doctor: the server could not listen on ${hostname ?? '*'}:${port}: ${e.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => console.log(`cba-doctor: ready on http://${hostname ?? 'localhost'}:${port}`));

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    // A second signal means now.
    if (stopping) process.exit(0);
    stopping = true;
    // Stop accepting, let requests in flight finish for a moment, then go.
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 3000);
  });
