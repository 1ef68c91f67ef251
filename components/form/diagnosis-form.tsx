// The diagnosis form: rendered on the server by dist/pages.mjs and hydrated in the browser as a React island
// (components/islands/form.tsx); it submits to the JSON API (POST /api/reports, POST /api/device-test).
import { useId, useRef, useState, useTransition, type FormEvent } from 'react';
import { checkFileList, checkPasteBox, checkPasted, checkServerName, checkTextFields, formatBytes, LIMITS, type Field, type FieldError } from '@/lib/report/submission';
import { Disclosure } from './disclosure';
import { DropZone } from './drop-zone';
import { sniffFile } from './sniff';
import { TextField } from './text-field';
import { tokenKey } from '@/components/report/token';

type Errors = Partial<Record<Field, string>>;

const FIELD_LABEL: Record<Field, string> = {
  certificates: 'Certificate files',
  upn: 'Sign-in address',
  federationHost: 'AD FS federation host',
  nodes: 'AD FS or proxy node addresses',
  tlsClientPort: 'TLS client port',
  target: 'Authentication target',
  cloud: 'Cloud',
  pasted: 'Pasted command output',
  pastedNode: 'Server name of a paste',
  graph: 'Live Microsoft Graph lookup',
  correlationId: 'Correlation ID',
  userCertificate: 'User certificate',
};

const ADVANCED: Field[] = ['nodes', 'tlsClientPort', 'target', 'cloud', 'graph', 'correlationId', 'userCertificate'];

async function checkFilesInBrowser(files: File[]): Promise<FieldError | undefined> {
  const listed = checkFileList(files, { strictExtensions: true });
  if (listed) return listed;
  for (const f of files) {
    const kind = await sniffFile(f);
    if (kind !== 'ok')
      return {
        field: 'certificates',
        reason: kind,
        error: `${f.name} holds a private key${kind === 'pkcs12' ? ' (PKCS#12/PFX)' : ''}, which CBA Doctor never accepts. Export the certificate without its private key (Certificates console: All Tasks > Export > "No, do not export the private key").`,
      };
  }
  return undefined;
}

type CaSource = 'any' | 'uploaded' | 'pasted';

type Created = { ok: true; id: string; deleteToken: string } | { ok: false; error: FieldError };
type DeviceTest = { ok: true; url: string } | { ok: false; error: string };

/** POST /api/reports: the report's id and deletion token, or the refusal as a field error. Throws when offline. */
async function submitReport(body: FormData): Promise<Created> {
  const res = await fetch('/api/reports', { method: 'POST', body });
  const json = (await res.json().catch(() => ({}))) as { id?: string; deleteToken?: string; error?: string; field?: Field | null; reason?: FieldError['reason']; box?: number };
  if (res.status === 202 && json.id && json.deleteToken) return { ok: true, id: json.id, deleteToken: json.deleteToken };
  return {
    ok: false,
    error: {
      field: json.field ?? null,
      reason: json.reason ?? 'bad-request',
      error: json.error ?? `The server refused the upload (HTTP ${res.status}). Try again in a moment.`,
      ...(typeof json.box === 'number' ? { box: json.box } : {}),
    },
  };
}

/** POST /api/device-test: the certauth address to open, or why not. Throws when offline. */
async function prepareDeviceTest(body: FormData): Promise<DeviceTest> {
  const res = await fetch('/api/device-test', { method: 'POST', body });
  const json = (await res.json().catch(() => ({}))) as { ok?: boolean; url?: string; error?: string };
  if (json.ok && json.url) return { ok: true, url: json.url };
  return { ok: false, error: json.error ?? `The certificate test could not be prepared (HTTP ${res.status}). Try again in a moment.` };
}

export type DiagnosisFormProps = { liveLookup?: boolean; deviceTest?: boolean; userCertificate?: string };

/**
 * `liveLookup`: the operator configured Microsoft Graph and allows it for this portal's users (the server decides).
 * `deviceTest`: the certauth listener is configured, so the form offers to test the certificate on this device.
 * `userCertificate`: a report's "diagnose with this certificate as the user's" link fills it in (a SHA-256).
 */
export function DiagnosisForm({ liveLookup = false, deviceTest = false, userCertificate }: DiagnosisFormProps = {}) {
  const formRef = useRef<HTMLFormElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [pasted, setPasted] = useState<string[]>(['']);
  /** The server each box's output came from (issue 14), by box. */
  const [pasteNodes, setPasteNodes] = useState<string[]>(['']);
  const [errors, setErrors] = useState<Errors>({});
  /** The paste box the `pasted` error is about (undefined: all of them, e.g. the total size). */
  const [pasteBox, setPasteBox] = useState<number>();
  const [formError, setFormError] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const [advancedOpen, setAdvancedOpen] = useState(!!userCertificate);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const pasteId = useId();
  const [caSource, setCaSource] = useState<CaSource>('any');
  const [trustStore, setTrustStore] = useState('');
  const [deviceError, setDeviceError] = useState<string>();
  const [devicePending, setDevicePending] = useState(false);

  // The browser is sent to the certauth listener, which asks for a client certificate in the TLS handshake and
  // redirects to the report; only what was typed (and a chosen CA list) goes through POST /api/device-test first.
  async function testDevice() {
    const fd = new FormData(formRef.current!);
    const body = new FormData();
    for (const k of ['upn', 'federationHost', 'target'] as const) body.append(k, String(fd.get(k) ?? '').trim());
    body.append('caSource', caSource);
    if (caSource === 'uploaded') for (const f of files) body.append('certificates', f, f.name);
    if (caSource === 'pasted') body.append('trustStore', trustStore);
    setDeviceError(undefined);
    setDevicePending(true);
    try {
      const r = await prepareDeviceTest(body);
      if (!r.ok) {
        setDeviceError(r.error);
        setAnnounce(r.error);
        return setDevicePending(false);
      }
      setAnnounce('Opening the certificate test. Your browser may ask you to choose a certificate.');
      window.location.assign(r.url);
      // Leaving the page normally ends here; if the browser stays (a download-like answer, Back), allow another try.
      setTimeout(() => setDevicePending(false), 5000);
    } catch {
      setDeviceError('The certificate test could not be prepared. Check your connection and try again.');
      setDevicePending(false);
    }
  }

  const setFieldErrors = (list: FieldError[]) => {
    const next: Errors = {};
    for (const e of list) if (e.field && !next[e.field]) next[e.field] = e.error;
    setErrors(next);
    setPasteBox(list.find((e) => e.field === 'pasted')?.box);
    const general = list.find((e) => !e.field);
    setFormError(general?.error);
    if (list.some((e) => e.field && ADVANCED.includes(e.field))) setAdvancedOpen(true);
    if (list.some((e) => e.field === 'pasted' || e.field === 'pastedNode')) setPasteOpen(true);
    const n = list.length;
    setAnnounce(n ? `The form has ${n} problem${n > 1 ? 's' : ''}: ${list.map((e) => e.error).join(' ')}` : '');
    const first = list.find((e) => e.field)?.field;
    // Let the advanced section open before moving focus into it.
    if (first) requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus());
  };

  const addFiles = async (added: File[]) => {
    const all = [...files, ...added.filter((a) => !files.some((f) => f.name === a.name && f.size === a.size))];
    setFiles(all);
    const e = added.length ? await checkFilesInBrowser(all) : undefined;
    setErrors((prev) => ({ ...prev, certificates: e?.error }));
    if (e) setAnnounce(e.error);
    else setAnnounce(`${all.length} file${all.length === 1 ? '' : 's'} selected.`);
  };

  const removeFile = async (i: number) => {
    const all = files.filter((_, j) => j !== i);
    setFiles(all);
    const e = all.length ? await checkFilesInBrowser(all) : undefined;
    setErrors((prev) => ({ ...prev, certificates: e?.error }));
    setAnnounce(`Removed ${files[i].name}. ${all.length} file${all.length === 1 ? '' : 's'} selected.`);
  };

  async function onSubmit(ev: FormEvent<HTMLFormElement>) {
    ev.preventDefault();
    const fd = new FormData(ev.currentTarget);
    const text = (k: Field) => String(fd.get(k) ?? '').trim();
    const fields = { upn: text('upn'), federationHost: text('federationHost'), nodes: text('nodes'), tlsClientPort: text('tlsClientPort'), target: text('target'), cloud: text('cloud'), graph: text('graph'), correlationId: text('correlationId'), userCertificate: text('userCertificate') };
    const problems: FieldError[] = [];
    const fileProblem = await checkFilesInBrowser(files);
    if (fileProblem) problems.push(fileProblem);
    problems.push(...checkTextFields(fields));
    const pasteProblem = checkPasted(pasted);
    if (pasteProblem) problems.push(pasteProblem);
    pasteNodes.forEach((n, box) => {
      const e = checkServerName(n);
      if (e) problems.push({ field: 'pastedNode', reason: 'invalid', error: e, box });
    });
    if (problems.length) return setFieldErrors(problems);

    const body = new FormData();
    for (const f of files) body.append('certificates', f, f.name);
    for (const [k, v] of Object.entries(fields)) if (v) body.append(k, v);
    // Up to the last box used, empty ones included: the server names pastes by position ("paste 2"), as the form does.
    const used = pasted.findLastIndex((p) => p.trim()) + 1;
    for (const p of pasted.slice(0, used)) body.append('pasted', p);
    // Only when a box is labelled: pastedNode[i] names the server of pasted[i].
    if (pasteNodes.slice(0, used).some((n) => n.trim())) for (let i = 0; i < used; i++) body.append('pastedNode', pasteNodes[i]?.trim() ?? '');
    setFieldErrors([]);
    setAnnounce('Uploading and starting the diagnosis…');
    startTransition(async () => {
      try {
        const r = await submitReport(body);
        if (!r.ok) return setFieldErrors([r.error]);
        try {
          localStorage.setItem(tokenKey(r.id), r.deleteToken);
        } catch {
          /* private mode: the report still works, only Delete is not offered */
        }
        setAnnounce('Diagnosis started. Opening the report…');
        window.location.assign(`/r/${r.id}`);
      } catch {
        setFieldErrors([{ field: null, reason: 'bad-request', error: 'The upload did not reach the server or was too large. Check your connection and the file sizes, then try again.' }]);
      }
    });
  }

  const editPaste = (i: number, value: string) => {
    setPasted(pasted.map((x, j) => (j === i ? value : x)));
    // Say at once when a paste is refused (too big, binary, a key), rather than at submit.
    const e = checkPasteBox(value, i);
    if (e) {
      setErrors((prev) => ({ ...prev, pasted: e.error }));
      setPasteBox(i);
      setAnnounce(e.error);
    } else if (errors.pasted && (pasteBox === i || pasteBox === undefined)) {
      setErrors((prev) => ({ ...prev, pasted: undefined }));
      setPasteBox(undefined);
    }
  };

  const errorList = Object.entries(errors).filter(([, v]) => v) as [Field, string][];

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate aria-describedby="form-status" className="space-y-6">
      <div id="form-status" role="status" aria-live="polite" className="sr-only">
        {announce}
      </div>
      {(errorList.length > 0 || formError) && (
        <div className="rounded-md border-2 border-red-700 bg-red-50 p-4" aria-labelledby="error-summary-title">
          <h2 id="error-summary-title" className="font-semibold text-red-900">
            Please fix the following before running the diagnosis
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-900">
            {formError && <li>{formError}</li>}
            {errorList.map(([field, msg]) => (
              <li key={field}>
                <a className="underline" href={`#${field}`} onClick={(e) => { e.preventDefault(); formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus(); }}>
                  {FIELD_LABEL[field]}
                </a>
                : {msg}
              </li>
            ))}
          </ul>
        </div>
      )}

      <DropZone files={files} onAdd={addFiles} onRemove={removeFile} error={errors.certificates} />

      {deviceTest && (
        <fieldset className="rounded-md border border-slate-300 p-4" aria-describedby="device-test-hint">
          <legend className="px-1 font-medium">No file to upload? Test the certificate on this device</legend>
          <p id="device-test-hint" className="field-hint">
            Your browser is asked for a client certificate the way AD FS and Entra ask at sign-in, and the certificate it presents is diagnosed
            (its private key never leaves the device). The sign-in address and federation host below are used too.
          </p>
          <div className="mt-3 space-y-1" role="radiogroup" aria-label="Which CAs to ask for">
            <p className="text-sm font-medium">Ask for certificates issued by</p>
            {(
              [
                ['any', 'Any CA (the browser offers every certificate it holds)'],
                ['uploaded', 'The CA certificates uploaded above (like an AD FS or Entra issuer list)'],
                ['pasted', 'The CAs of a pasted trust store'],
              ] as [CaSource, string][]
            ).map(([v, label]) => (
              <label key={v} className="flex items-center gap-2 text-sm">
                <input type="radio" name="caSource" value={v} checked={caSource === v} onChange={() => setCaSource(v)} />
                {label}
              </label>
            ))}
          </div>
          {caSource === 'pasted' && (
            <div className="mt-3">
              <label htmlFor="trustStore" className="block text-sm font-medium">
                Trust store (CA certificates as PEM blocks)
              </label>
              <textarea
                id="trustStore"
                rows={4}
                value={trustStore}
                onChange={(e) => setTrustStore(e.target.value)}
                className="field-input font-mono text-sm"
                spellCheck={false}
                autoComplete="off"
                placeholder="-----BEGIN CERTIFICATE-----"
              />
            </div>
          )}
          <button type="button" className="btn mt-3" onClick={testDevice} disabled={devicePending}>
            {devicePending ? 'Opening the test…' : 'Test with the certificate on this device'}
          </button>
          {deviceError && (
            <p className="field-error" role="alert">
              {deviceError}
            </p>
          )}
        </fieldset>
      )}

      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="upn"
          label="User's sign-in address"
          type="email"
          autoComplete="off"
          placeholder="alice@contoso.com"
          hint="The UPN the user signs in with. Used to match the certificate and to discover the realm."
          error={errors.upn}
        />
        <TextField
          name="federationHost"
          label="AD FS federation host (optional)"
          placeholder="sts.contoso.com"
          hint="Leave empty to take it from realm discovery."
          error={errors.federationHost}
        />
      </div>

      {userCertificate && (
        <p role="note" className="rounded-md border border-sky-700 bg-sky-50 p-3 text-sm">
          Run again with another certificate as the user&apos;s: upload the same files again (uploaded files are not kept). The certificate
          with the SHA-256 thumbprint below, under Advanced, will be diagnosed as the user&apos;s.
        </p>
      )}

      <Disclosure title="Advanced: nodes, port, target, cloud, user certificate" open={advancedOpen} onToggle={setAdvancedOpen}>
        <div className="mt-4 grid gap-4 sm:grid-cols-2">
          <TextField
            name="nodes"
            label="AD FS or proxy node addresses"
            placeholder="203.0.113.10, 203.0.113.11"
            hint={`Probe these servers directly (up to ${LIMITS.maxNodes}), separated by commas or spaces.`}
            error={errors.nodes}
            className="sm:col-span-2"
          />
          <TextField name="tlsClientPort" label="TLS client port" inputMode="numeric" placeholder="49443" hint="The certificate authentication port (49443 unless changed)." error={errors.tlsClientPort} />
          <div>
            <label htmlFor="target" className="block font-medium">
              Authentication target
            </label>
            <select id="target" name="target" data-field="target" className="field-input" defaultValue="auto" aria-describedby="target-hint">
              <option value="auto">Detect (realm discovery)</option>
              <option value="adfs">Federated through AD FS</option>
              <option value="entra">Entra native CBA</option>
            </select>
            <p id="target-hint" className="field-hint">
              Which limits to apply when discovery cannot tell.
            </p>
          </div>
          <div>
            <label htmlFor="cloud" className="block font-medium">
              Cloud
            </label>
            <select id="cloud" name="cloud" data-field="cloud" className="field-input" defaultValue="public" aria-describedby="cloud-hint">
              <option value="public">Public (global, including GCC)</option>
              <option value="usgov">US Government (GCC High, DoD)</option>
            </select>
            <p id="cloud-hint" className="field-hint">
              US Government clouds allow larger CRLs for Entra ID.
            </p>
          </div>
          {liveLookup && (
            <>
              <div className="sm:col-span-2">
                <label className="flex items-center gap-2 font-medium">
                  <input type="checkbox" name="graph" value="1" data-field="graph" />
                  Look up the tenant&apos;s CBA settings, the user and the trust store live in Microsoft Graph
                </label>
                <p className="field-hint">Pasted tenant JSON wins over the live read of the same object. Only verdicts and the values they need are stored.</p>
              </div>
              <TextField name="correlationId" label="Correlation ID" placeholder="d79f5bee-5860-4832-928f-3133e22ae912" hint="From the error page's details: the live lookup reads the sign-in log entries with it." error={errors.correlationId} />
            </>
          )}
          <TextField
            name="userCertificate"
            label="User certificate (optional)"
            defaultValue={userCertificate}
            autoComplete="off"
            spellCheck={false}
            placeholder="0, 1, … or a SHA-256 thumbprint"
            hint="Which uploaded certificate is the user's, when the automatic choice is not it: its 0-based position among the certificates, or its SHA-256 thumbprint."
            error={errors.userCertificate}
            className="sm:col-span-2"
          />
        </div>
      </Disclosure>

      <Disclosure title="Pasted command output (optional)" open={pasteOpen} onToggle={setPasteOpen}>
        <p id={`${pasteId}-hint`} className="field-hint">
          Paste the output of commands such as <code>Get-MsolDomainFederationSettings</code>, <code>Get-AdfsAuthenticationProvider</code>,{' '}
          <code>netsh http show sslcert</code> or <code>certutil -verify -urlfetch</code>, prompts included. Several outputs can share one box;
          each is recognised on its own. Pasting from several AD FS or proxy servers? Put each server&apos;s output in its own box and type its
          name next to it, so findings name the server. Up to {formatBytes(LIMITS.maxPasteBytes)} per box and {formatBytes(LIMITS.maxPastedBytes)} in all. The
          text is only read, never run.
        </p>
        <div className="mt-3 space-y-3">
          {pasted.map((p, i) => {
            const bad = !!errors.pasted && (pasteBox === undefined || pasteBox === i);
            return (
              <div key={i}>
                <div className="flex flex-wrap items-end justify-between gap-2">
                  <label htmlFor={`pasted-${i}`} className="block text-sm font-medium">
                    Paste {i + 1}
                  </label>
                  <label className="flex items-center gap-2 text-sm">
                    <span>Server name</span>
                    <input
                      id={`pastedNode-${i}`}
                      data-field={i === 0 ? 'pastedNode' : undefined}
                      value={pasteNodes[i] ?? ''}
                      onChange={(e) => setPasteNodes(pasted.map((_, j) => (j === i ? e.target.value : (pasteNodes[j] ?? ''))))}
                      placeholder="e.g. ADFS01 (optional)"
                      aria-label={`Server name of paste ${i + 1}`}
                      className="field-input w-44 py-1 text-sm"
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={(!!errors.pastedNode && checkServerName(pasteNodes[i] ?? '') !== undefined) || undefined}
                      aria-describedby={errors.pastedNode ? 'pastedNode-error' : undefined}
                    />
                  </label>
                </div>
                <textarea
                  id={`pasted-${i}`}
                  data-field={i === (pasteBox ?? 0) ? 'pasted' : undefined}
                  rows={5}
                  value={p}
                  onChange={(e) => editPaste(i, e.target.value)}
                  className="field-input font-mono text-sm"
                  spellCheck={false}
                  autoComplete="off"
                  aria-invalid={bad || undefined}
                  aria-describedby={`${pasteId}-hint${bad ? ' pasted-error' : ''}`}
                />
              </div>
            );
          })}
        </div>
        {errors.pasted && (
          <p id="pasted-error" className="field-error">
            {errors.pasted}
          </p>
        )}
        {errors.pastedNode && (
          <p id="pastedNode-error" className="field-error">
            {errors.pastedNode}
          </p>
        )}
        {pasted.length < LIMITS.maxPastedBlocks && (
          <button type="button" className="btn mt-3" onClick={() => (setPasted([...pasted, '']), setPasteNodes([...pasteNodes, '']))}>
            Add another box
          </button>
        )}
      </Disclosure>

      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary shrink-0 px-5 py-2 text-base whitespace-nowrap" disabled={pending}>
          {pending ? 'Starting…' : 'Run diagnosis'}
        </button>
        <p className="text-sm text-slate-600">Private keys are never accepted. Uploaded files are not kept; the report is.</p>
      </div>
    </form>
  );
}
