import { DiagnosisForm } from '@/components/form/diagnosis-form';
import { liveLookupForPortal } from '@/lib/graph/config';
import { certauthPort } from '@/lib/device/config';

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const deleted = params.deleted === '1';
  // Only a thumbprint is carried over from a report's "use this certificate as the user's" link.
  const user = typeof params.userCertificate === 'string' && /^[0-9a-f]{64}$/i.test(params.userCertificate) ? params.userCertificate.toLowerCase() : undefined;
  return (
    <>
      <h1 className="text-2xl font-semibold">Diagnose certificate sign-in</h1>
      <p className="mt-2 max-w-prose text-slate-700">
        Upload the user&apos;s certificate and its CA certificates, type the sign-in address, and CBA Doctor checks the certificate, its chain and
        revocation lists, realm discovery, the AD FS endpoints and any configuration you paste. You get a report with evidence and the commands to
        fix what is wrong, at a link you can share with your helpdesk.
      </p>
      {deleted && (
        <p role="status" className="mt-4 rounded-md border border-green-700 bg-green-50 p-3">
          The report was deleted.
        </p>
      )}
      <div className="mt-8">
        <DiagnosisForm liveLookup={liveLookupForPortal().allowed} deviceTest={Number.isInteger(certauthPort())} userCertificate={user} />
      </div>
    </>
  );
}
