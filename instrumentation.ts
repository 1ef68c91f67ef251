// Runs once when the portal server starts: open and check the report store (reports left `running` by the previous
// process are marked `interrupted`, old reports purged), start the watchdog and, with PostgreSQL, the job queue. A store
// that cannot be used stops the server with one line naming the setting, rather than a "Ready" server that fails.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startPortalOrExit } = await import('./lib/ops/startup');
  await startPortalOrExit();
  // The certauth listener (CBA_DOCTOR_CERTAUTH_PORT) runs in this process so it shares the store with the portal.
  const { startCertauthFromEnv } = await import('./lib/report/certauth');
  await startCertauthFromEnv();
}
