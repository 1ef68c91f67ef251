import { LongText } from '@/components/ui/long-text';
import type { InputCertificate } from '@/lib/report/schema';

/** Orders the uploaded certificates from the user certificate up to the root by following issuer names. */
export function chainOrder(certs: InputCertificate[]): { chain: InputCertificate[]; others: InputCertificate[] } {
  const user = certs.find((c) => c.role === 'user');
  if (!user) return { chain: [], others: certs };
  const chain = [user];
  for (let cur = user; cur.issuer !== cur.subject; ) {
    const next = certs.find((c) => c.subject === cur.issuer && !chain.includes(c) && c.role !== 'unrelated');
    if (!next) break;
    chain.push(next);
    cur = next;
  }
  return { chain, others: certs.filter((c) => !chain.includes(c)) };
}

const ROLE_LABEL: Record<InputCertificate['role'], string> = { user: 'User certificate', intermediate: 'Intermediate CA', root: 'Root CA', unrelated: 'Not in the chain' };

/** A link back to the form that diagnoses `c` as the user's certificate (the files must be uploaded again). */
function UseAsUser({ c }: { c: InputCertificate }) {
  return (
    <a className="mt-2 inline-block text-xs underline" href={`/?userCertificate=${c.sha256}`}>
      Run again with this one as the user&apos;s certificate
    </a>
  );
}

function CertBox({ c, offerUser }: { c: InputCertificate; offerUser?: boolean }) {
  return (
    <div className="rounded-md border border-slate-300 bg-white p-3 text-sm">
      <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase">{ROLE_LABEL[c.role]}</p>
      <p className="mt-1 font-medium break-words">
        <LongText text={c.subject} />
      </p>
      <dl className="mt-2 grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs text-slate-700">
        <dt>Issuer</dt>
        <dd className="break-words">
          <LongText text={c.issuer} />
        </dd>
        <dt>Valid</dt>
        <dd>
          {c.notBefore.slice(0, 10)} to {c.notAfter.slice(0, 10)}
        </dd>
        <dt>Serial</dt>
        <dd className="font-mono break-all">{c.serialNumber}</dd>
        <dt>File</dt>
        <dd className="break-all">{c.fileName}</dd>
      </dl>
      {offerUser && <UseAsUser c={c} />}
    </div>
  );
}

export function Certificates({ certs, fromDevice = false }: { certs: InputCertificate[]; fromDevice?: boolean }) {
  if (!certs.length) return null;
  const { chain, others } = chainOrder(certs);
  return (
    <section aria-labelledby="certs-title" className="check-card">
      <h2 id="certs-title" className="text-lg font-semibold">
        Certificates
      </h2>
      {chain.length > 0 && (
        <ol aria-label="Chain from the user certificate to the root" className="mt-3 space-y-1">
          {chain.map((c, i) => (
            <li key={c.ref}>
              <CertBox c={c} />
              {i < chain.length - 1 && (
                <p className="py-1 pl-4 text-sm text-slate-600">
                  <span aria-hidden="true">↓ </span>issued by
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {others.length > 0 && (
        <>
          <h3 className="mt-4 font-semibold">{fromDevice ? (chain.length ? 'Other certificates the device sent' : 'Certificates the device sent') : chain.length ? 'Other uploaded certificates' : 'Uploaded certificates'}</h3>
          {!fromDevice && (
            <p className="mt-1 text-sm text-slate-600">
              The user certificate was chosen automatically (see the cert.user check for why). If another certificate is the one the device offers at
              sign-in, run the diagnosis again with it as the user&apos;s.
            </p>
          )}
          <ul className="mt-2 grid gap-2 sm:grid-cols-2">
            {others.map((c) => (
              <li key={c.ref}>
                <CertBox c={c} offerUser={c.issuer !== c.subject} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
