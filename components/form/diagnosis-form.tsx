'use client';
import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition, type FormEvent } from 'react';
import { createReportAction } from '@/lib/actions';
import { checkFileList, checkPasteBox, checkPasted, checkTextFields, formatBytes, LIMITS, type Field, type FieldError } from '@/lib/report/submission';
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
  pasted: 'Pasted command output',
  userCertificate: 'User certificate',
};

const ADVANCED: Field[] = ['nodes', 'tlsClientPort', 'target', 'userCertificate'];

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

/** `userCertificate`: a report's "diagnose with this certificate as the user's" link fills it in (a SHA-256). */
export function DiagnosisForm({ userCertificate }: { userCertificate?: string } = {}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [files, setFiles] = useState<File[]>([]);
  const [pasted, setPasted] = useState<string[]>(['']);
  const [errors, setErrors] = useState<Errors>({});
  /** The paste box the `pasted` error is about (undefined: all of them, e.g. the total size). */
  const [pasteBox, setPasteBox] = useState<number>();
  const [formError, setFormError] = useState<string>();
  const [announce, setAnnounce] = useState('');
  const [advancedOpen, setAdvancedOpen] = useState(!!userCertificate);
  const [pasteOpen, setPasteOpen] = useState(false);
  const [pending, startTransition] = useTransition();
  const pasteId = useId();

  const setFieldErrors = (list: FieldError[]) => {
    const next: Errors = {};
    for (const e of list) if (e.field && !next[e.field]) next[e.field] = e.error;
    setErrors(next);
    setPasteBox(list.find((e) => e.field === 'pasted')?.box);
    const general = list.find((e) => !e.field);
    setFormError(general?.error);
    if (list.some((e) => e.field && ADVANCED.includes(e.field))) setAdvancedOpen(true);
    if (list.some((e) => e.field === 'pasted')) setPasteOpen(true);
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
    const fields = { upn: text('upn'), federationHost: text('federationHost'), nodes: text('nodes'), tlsClientPort: text('tlsClientPort'), target: text('target'), userCertificate: text('userCertificate') };
    const problems: FieldError[] = [];
    const fileProblem = await checkFilesInBrowser(files);
    if (fileProblem) problems.push(fileProblem);
    problems.push(...checkTextFields(fields));
    const pasteProblem = checkPasted(pasted);
    if (pasteProblem) problems.push(pasteProblem);
    if (problems.length) return setFieldErrors(problems);

    const body = new FormData();
    for (const f of files) body.append('certificates', f, f.name);
    for (const [k, v] of Object.entries(fields)) if (v) body.append(k, v);
    // Up to the last box used, empty ones included: the server names pastes by position ("paste 2"), as the form does.
    const used = pasted.findLastIndex((p) => p.trim()) + 1;
    for (const p of pasted.slice(0, used)) body.append('pasted', p);
    setFieldErrors([]);
    setAnnounce('Uploading and starting the diagnosis…');
    startTransition(async () => {
      try {
        const r = await createReportAction(body);
        if (!r.ok) return setFieldErrors([r.error]);
        try {
          localStorage.setItem(tokenKey(r.id), r.deleteToken);
        } catch {
          /* private mode: the report still works, only Delete is not offered */
        }
        setAnnounce('Diagnosis started. Opening the report…');
        router.push(`/r/${r.id}`);
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

      <Disclosure title="Advanced: nodes, port, target, user certificate" open={advancedOpen} onToggle={setAdvancedOpen}>
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
          each is recognised on its own. Up to {formatBytes(LIMITS.maxPasteBytes)} per box and {formatBytes(LIMITS.maxPastedBytes)} in all. The
          text is only read, never run.
        </p>
        <div className="mt-3 space-y-3">
          {pasted.map((p, i) => {
            const bad = !!errors.pasted && (pasteBox === undefined || pasteBox === i);
            return (
              <div key={i}>
                <label htmlFor={`pasted-${i}`} className="block text-sm font-medium">
                  Paste {i + 1}
                </label>
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
        {pasted.length < LIMITS.maxPastedBlocks && (
          <button type="button" className="btn mt-3" onClick={() => setPasted([...pasted, ''])}>
            Add another box
          </button>
        )}
      </Disclosure>

      <div className="flex items-center gap-4">
        <button type="submit" className="btn btn-primary px-5 py-2 text-base" disabled={pending}>
          {pending ? 'Starting…' : 'Run diagnosis'}
        </button>
        <p className="text-sm text-slate-600">Private keys are never accepted. Uploaded files are not kept; the report is.</p>
      </div>
    </form>
  );
}
