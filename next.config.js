// Next.js configuration. Server-only packages with native code or heavy ASN.1 stay outside the bundle.
// Security headers for every response. The form and report pages load only their own script files, but Next's App
// Router pages (not found, error) bootstrap with inline scripts, so without per-request nonces 'unsafe-inline' is the
// strictest script policy that works for all; everything else is locked to this origin. no-referrer keeps report links out of other sites' logs.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'development' ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const securityHeaders = [
  { key: 'Content-Security-Policy', value: csp },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
  // tinypool starts worker threads from its own files, so it must load from node_modules (lib/worker/pool.ts).
  serverExternalPackages: ['better-sqlite3', 'pg', 'pg-boss', 'pino', 'prom-client', 'tinypool'],
  // `npm run typecheck` (tsc --noEmit) is the type gate; the build serves the portal even while a test file elsewhere
  // has a type error, so `npm start` never fails for code the portal does not run.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};
export default nextConfig;
