// Evidence is structured data of any shape; it is drawn as tables: arrays of records become column tables,
// records become two-column tables, a `status` value becomes a badge. A server component: it adds no JavaScript.
// On a narrow screen (below Tailwind's sm) the column tables become stacked rows (`.stack-table` in globals.css),
// and long unbroken values (DNs, URLs) wrap, so the page never scrolls sideways.
import { StatusBadge } from '@/components/ui/status-badge';
import { isStatus } from '@/components/ui/status';
import { COLLAPSE_AT, LongText } from '@/components/ui/long-text';
import { nameOfRef, type CertNames } from './cert-names';

type Plain = Record<string, unknown>;
const isRecord = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);

/** camelCase and snake_case keys as words; a certificate ref column is the certificate. */
export function humanKey(k: string): string {
  if (k === 'ref') return 'Certificate';
  const s = k
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim();
  if (!s) return k;
  // Abbreviations as people write them: "Freshest CRL", "Crl URL", "Trusted issuer SKI".
  const words = s.split(' ').map((w) => ABBREVIATIONS.get(w.toLowerCase()) ?? w);
  return words[0][0].toUpperCase() + words.join(' ').slice(1);
}

// prettier-ignore
const ABBREVIATIONS = new Map(Object.entries({
  aia: 'AIA', aki: 'AKI', ca: 'CA', cas: 'CAs', cdp: 'CDP', crl: 'CRL', crls: 'CRLs', der: 'DER', dns: 'DNS', eku: 'EKU',
  http: 'HTTP', https: 'HTTPS', id: 'ID', ids: 'IDs', ip: 'IP', ocsp: 'OCSP', pem: 'PEM', sha1: 'SHA1', sha256: 'SHA256',
  ski: 'SKI', sni: 'SNI', tcp: 'TCP', tls: 'TLS', ttfb: 'TTFB', upn: 'UPN', url: 'URL', urls: 'URLs',
}));

/** A certificate ref only repeats the file name shown beside it: that column or row is left out. */
const redundantRef = (k: string, recs: Plain[]) => k === 'ref' && recs.every((r) => !('ref' in r) || 'fileName' in r);

function Scalar({ k, v, names, short }: { k?: string; v: unknown; names: CertNames; short?: boolean }) {
  if (v === null || v === undefined || v === '') return <span className="text-slate-500">—</span>;
  if (typeof v === 'boolean') return <span>{v ? 'yes' : 'no'}</span>;
  if (k === 'status' && isStatus(v)) return <StatusBadge status={v} size="sm" />;
  const s = (typeof v === 'string' && nameOfRef(names, v, short)) || String(v);
  if (s.length > COLLAPSE_AT) return <LongText text={s} />;
  if (/^https?:\/\/\S+$/.test(s)) return <span className="break-all font-mono text-xs">{s}</span>;
  return <span className={s.length > 40 && !s.includes(' ') ? 'break-all' : 'break-words'}>{s}</span>;
}

function Scroll({ children, label }: { children: React.ReactNode; label: string }) {
  // Focusable so keyboard users can scroll wide tables (WCAG scrollable region). Positioned, so the table's
  // visually hidden caption (position: absolute) stays inside the box instead of widening the page.
  return (
    <div className="relative max-w-full overflow-x-auto" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

function RecordsTable({ rows, label, depth, names }: { rows: Plain[]; label: string; depth: number; names: CertNames }) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((c) => !redundantRef(c, rows));
  // Put status first: it is what the reader looks for in a per-target table.
  cols.sort((a, b) => (a === 'status' ? -1 : b === 'status' ? 1 : 0));
  return (
    <Scroll label={label}>
      <table className="stack-table min-w-full border-collapse text-left text-sm" aria-label={label}>
        <thead>
          <tr className="border-b border-slate-300 bg-slate-50">
            {cols.map((c) => (
              <th key={c} scope="col" className="px-2 py-1 font-semibold whitespace-nowrap print:whitespace-normal">
                {humanKey(c)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="border-b border-slate-200 align-top">
              {cols.map((c) => (
                // data-label: the column heading, shown before the value when the rows are stacked (phones).
                <td key={c} className="px-2 py-1" data-label={humanKey(c)}>
                  <Value k={c} v={r[c]} label={`${label}: ${humanKey(c)}`} depth={depth + 1} names={names} short={'subject' in r || 'fileName' in r} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

function RecordTable({ rec, label, depth, names }: { rec: Plain; label: string; depth: number; names: CertNames }) {
  const keys = Object.keys(rec).filter((k) => !redundantRef(k, [rec]));
  if (!keys.length) return <span className="text-slate-500">—</span>;
  return (
    // Fixed layout: a long value or a wide nested table can never widen the page (it wraps or scrolls in its own box).
    // Named by aria-label, not a visually hidden caption: an absolutely positioned caption escapes the scroll box
    // and widened the page by a screen's width at 1280 px (phone.e2e.test.ts).
    <table className="kv-table w-full table-fixed border-collapse text-left text-sm" aria-label={label}>
      <tbody>
        {keys.map((k) => (
          <tr key={k} className="border-b border-slate-200 align-top last:border-0">
            <th scope="row" className="w-1/4 px-2 py-1 font-semibold">
              {humanKey(k)}
            </th>
            <td className="min-w-0 px-2 py-1 break-words">
              <Value k={k} v={rec[k]} label={`${label}: ${humanKey(k)}`} depth={depth + 1} names={names} short={'subject' in rec || 'fileName' in rec} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Value({ k, v, label, depth, names, short }: { k?: string; v: unknown; label: string; depth: number; names: CertNames; short?: boolean }) {
  if (isScalar(v)) return <Scalar k={k} v={v} names={names} short={short} />;
  if (depth > 4) return <code className="text-xs break-all">{JSON.stringify(v)}</code>;
  if (Array.isArray(v)) {
    if (!v.length) return <span className="text-slate-500">none</span>;
    if (v.every(isScalar))
      return (
        <ul className="space-y-0.5">
          {v.map((x, i) => (
            <li key={i}>
              <Scalar v={x} names={names} />
            </li>
          ))}
        </ul>
      );
    if (v.every(isRecord)) return <RecordsTable rows={v} label={label} depth={depth} names={names} />;
    return <code className="text-xs break-all">{JSON.stringify(v)}</code>;
  }
  if (isRecord(v)) return <RecordTable rec={v} label={label} depth={depth} names={names} />;
  return <code className="text-xs">{String(v)}</code>;
}

export function Evidence({ evidence, checkTitle, names = new Map() }: { evidence: Record<string, unknown>; checkTitle: string; names?: CertNames }) {
  const keys = Object.keys(evidence);
  if (!keys.length) return <p className="text-sm text-slate-600">No evidence recorded.</p>;
  return (
    <div className="evidence space-y-3">
      {keys.map((k) => {
        const v = evidence[k];
        const label = `${checkTitle}: ${humanKey(k)}`;
        return (
          <div key={k}>
            <h5 className="text-sm font-semibold text-slate-800">{humanKey(k)}</h5>
            <div className="mt-1 rounded border border-slate-200 bg-white">
              <div className="p-1">
                <Value k={k} v={v} label={label} depth={0} names={names} />
              </div>
            </div>
          </div>
        );
      })}
    </div>
  );
}
