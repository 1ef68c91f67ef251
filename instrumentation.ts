// Runs once when the portal server starts: open the store so reports left `running` by the previous process are
// marked `interrupted`, old reports are purged and the hourly purge is scheduled before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getStore } = await import('./lib/report/store');
  try {
    await getStore();
  } catch (e) {
    // The server still starts; each request retries opening the store and answers with a clear error meanwhile.
    console.error(`cba-doctor: could not open the report store: ${e instanceof Error ? e.message : String(e)}`);
  }
  // The certauth listener (CBA_DOCTOR_CERTAUTH_PORT) runs in this process so it shares the store with the portal.
  const { startCertauthFromEnv } = await import('./lib/report/certauth');
  await startCertauthFromEnv();
}
