// Export a bundle: what is selected (items, a collection, a search, or everything), whom it is for
// (people in the address book and/or this archive's own key, or a passphrase typed twice), whether
// it is redacted and carries the original media, and where the file goes. The path is on the
// machine running Sijil (in browser mode too: the server is this computer); it defaults to the
// folder beside the archive. Progress with Cancel (a cancelled export leaves no file), then where
// the bundle is and what it holds.
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressBookEntry, BundleExportResult, BundleProgressEvent } from '../../shared/api.ts';
import type { PhraseKey } from '../../shared/phrase.ts';
import { api, ApiError } from '../api.ts';
import { Modal } from '../components/Modal.tsx';
import { errorMessage, isCancelled } from '../errors.ts';
import { formatBytes, formatNumber } from '../format.ts';
import { useFocusFirstError } from '../import/useFocusFirstError.ts';
import { Field } from '../import/Field.tsx';
import { defaultBundlePath } from './paths.ts';
import { BundleProgress } from './BundleProgress.tsx';
import './bundle.css';

export interface ExportSelection {
  readonly ids?: readonly string[];
  readonly collection?: string;
  readonly query?: string;
}

export interface ExportDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly selection: ExportSelection;
}

type Method = 'keys' | 'passphrase';

type Phase =
  | { readonly name: 'form' }
  | { readonly name: 'running'; readonly progress: BundleProgressEvent | null }
  | { readonly name: 'done'; readonly result: BundleExportResult }
  | { readonly name: 'cancelled' };


const ABOUT_DESTINATION: ReadonlySet<PhraseKey> = new Set<PhraseKey>([
  'bundle.export.exists',
  'bundle.export.isFolder',
  'bundle.export.noFolder',
  'bundle.cannotWrite',
  'bundle.isFolder',
  'bundle.diskFull.export',
]);

export function ExportDialog(props: ExportDialogProps) {
  return props.open ? <ExportDialogBody {...props} /> : null;
}

type Errors = Partial<Record<'method' | 'passphrase' | 'again' | 'to' | 'form', string>>;

// Who makes the bundles rarely changes: the last name given is offered again while the app runs.
// Not kept on disk: a team's name in the browser profile would tell whoever holds the laptop who
// they work with, as the thumbnails would have told what they hold (thumbnails.ts).
let lastOrganization = '';
const savedOrganization = () => lastOrganization;
const saveOrganization = (name: string) => {
  lastOrganization = name;
};

function ExportDialogBody({ onClose, selection }: ExportDialogProps) {
  const { t } = useTranslation('bundle');
  const [book, setBook] = useState<readonly AddressBookEntry[]>([]);
  const [ownKey, setOwnKey] = useState<string | null>(null);
  const [method, setMethod] = useState<Method>('keys');
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [useOwnKey, setUseOwnKey] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [redact, setRedact] = useState(true);
  const [media, setMedia] = useState(true);
  const [organization, setOrganization] = useState(savedOrganization);
  const [to, setTo] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);
  // "Choose at least one person" belongs to the boxes: the first takes the focus (above) and each
  // says why, as a field does.
  const recipientInvalid = errors.method ? ({ 'aria-invalid': true, 'aria-describedby': 'export-recipients-error' } as const) : {};
  const [phase, setPhase] = useState<Phase>({ name: 'form' });
  const abort = useRef<AbortController | null>(null);
  const touchedPath = useRef(false);

  useEffect(() => {
    let live = true;
    void Promise.allSettled([api.call('keys.recipients.list', {}), api.call('keys.status', {}), api.call('archive.info', {})]).then(([list, status, info]) => {
      if (!live) return;
      if (list.status === 'fulfilled') setBook(list.value);
      if (status.status === 'fulfilled') setOwnKey(status.value.recipient);
      const hasKeys = (list.status === 'fulfilled' && list.value.length > 0) || (status.status === 'fulfilled' && status.value.recipient !== null);
      if (!hasKeys) setMethod('passphrase');
      if (info.status === 'fulfilled' && !touchedPath.current) setTo(defaultBundlePath(info.value.dir, selection, new Date()));
    });
    return () => {
      live = false;
    };
  }, [selection]);

  useEffect(() => () => abort.current?.abort(), []);

  const what = useMemo(() => {
    if (selection.ids && selection.ids.length > 0) return t('export.selectionIds', { count: formatNumber(selection.ids.length) });
    if (selection.collection) return t('export.selectionCollection', { name: selection.collection });
    if (selection.query) return t('export.selectionQuery', { query: selection.query });
    return t('export.selectionAll');
  }, [selection, t]);

  const running = phase.name === 'running';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    const recipients = book.filter((b) => chosen.has(b.name)).map((b) => b.recipient);
    if (method === 'keys' && recipients.length === 0 && !useOwnKey) found.method = t('export.chooseSomeone');
    if (method === 'passphrase') {
      if (passphrase === '') found.passphrase = t('export.passphraseRequired');
      else if (again !== passphrase) found.again = t('export.mismatch');
    }
    if (to.trim() === '') found.to = t('export.pathRequired');
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    const controller = new AbortController();
    abort.current = controller;
    setPhase({ name: 'running', progress: null });
    try {
      const result = await api.call(
        'bundle.export',
        {
          selection: cleanSelection(selection),
          to: to.trim(),
          credentials: method === 'passphrase' ? { passphrase } : { recipients, ...(useOwnKey ? { useArchiveKey: true } : {}) },
          redact,
          media,
          overwrite,
          ...(organization.trim() ? { organization: organization.trim() } : {}),
        },
        {
          signal: controller.signal,
          onProgress: (event, payload) => {
            if (event === 'bundle.progress') setPhase({ name: 'running', progress: payload as BundleProgressEvent });
          },
        },
      );
      setPhase({ name: 'done', result });
      saveOrganization(organization.trim());
    } catch (err) {
      if (controller.signal.aborted || isCancelled(err)) {
        setPhase({ name: 'cancelled' });
        return;
      }
      const message = errorMessage(err);
      setPhase({ name: 'form' });
      // Where the file goes is the usual problem (exists, no such folder, a folder, no room): say it there.
      const said = err instanceof ApiError ? err.phrase?.key : undefined;
      if (said !== undefined && ABOUT_DESTINATION.has(said)) setErrors({ to: message });
      else setErrors({ form: message });
    } finally {
      abort.current = null;
    }
  };

  const footer =
    phase.name === 'form' ? (
      <>
        <button type="button" className="btn" onClick={onClose}>
          {t('cancel')}
        </button>
        <button type="submit" form="export-form" className="btn btn-primary" data-testid="export-start">
          {t('export.submit')}
        </button>
      </>
    ) : running ? (
      <button type="button" className="btn btn-danger" onClick={() => abort.current?.abort()} data-testid="export-cancel">
        {t('cancel')}
      </button>
    ) : (
      <button type="button" className="btn btn-primary" onClick={onClose} data-testid="export-close">
        {t('close')}
      </button>
    );

  return (
    <Modal open title={t('export.title')} onClose={onClose} busy={running} footer={footer} wide className="export-dialog">
      {phase.name === 'form' && (
        <form id="export-form" ref={formRef} className="stack" onSubmit={(e) => void submit(e)} noValidate>
          <p className="bundle-what" data-testid="export-what">
            {what}
          </p>
          {errors.form && (
            <p className="error-box" role="alert">
              {errors.form}
            </p>
          )}

          <fieldset className="bundle-fieldset">
            <legend>{t('export.protection')}</legend>
            <div className="bundle-methods" role="radiogroup" aria-label={t('export.protection')}>
              <label className={`bundle-method${method === 'keys' ? ' is-on' : ''}`}>
                <input type="radio" name="method" checked={method === 'keys'} onChange={() => setMethod('keys')} data-testid="export-method-keys" />
                <span>
                  <strong>{t('export.methodKeys')}</strong>
                  <span className="field-hint">{t('export.methodKeysHint')}</span>
                </span>
              </label>
              <label className={`bundle-method${method === 'passphrase' ? ' is-on' : ''}`}>
                <input type="radio" name="method" checked={method === 'passphrase'} onChange={() => setMethod('passphrase')} data-testid="export-method-passphrase" />
                <span>
                  <strong>{t('export.methodPassphrase')}</strong>
                  <span className="field-hint">{t('export.methodPassphraseHint')}</span>
                </span>
              </label>
            </div>

            {method === 'keys' && (
              <div className="bundle-recipients">
                {book.length === 0 && ownKey === null && <p className="notice">{t('export.noKeys')}</p>}
                {ownKey !== null && (
                  <label className="bundle-check">
                    <input type="checkbox" checked={useOwnKey} onChange={(e) => setUseOwnKey(e.target.checked)} data-testid="export-own-key" {...recipientInvalid} />
                    <span>
                      {t('export.ownKey')} <code className="faint" dir="ltr">{shortKey(ownKey)}</code>
                    </span>
                  </label>
                )}
                {book.map((b) => (
                  <label key={b.name} className="bundle-check">
                    <input
                      type="checkbox"
                      {...recipientInvalid}
                      checked={chosen.has(b.name)}
                      onChange={(e) =>
                        setChosen((prev) => {
                          const next = new Set(prev);
                          if (e.target.checked) next.add(b.name);
                          else next.delete(b.name);
                          return next;
                        })
                      }
                    />
                    <span>
                      <bdi>{b.name}</bdi> <code className="faint" dir="ltr">{shortKey(b.recipient)}</code>
                    </span>
                  </label>
                ))}
                {/* With no box to focus (no keys at all), the refusal is announced where it is. */}
                {errors.method && (
                  <span id="export-recipients-error" className="field-error" role={book.length === 0 && ownKey === null ? 'alert' : undefined}>
                    {errors.method}
                  </span>
                )}
              </div>
            )}

            {method === 'passphrase' && (
              <div className="bundle-grid">
                <Field label={t('export.passphrase')} hint={t('export.passphraseHint')} error={errors.passphrase}>
                  {(p) => (
                    <input {...p} className="input" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="export-passphrase" />
                  )}
                </Field>
                <Field label={t('export.again')} error={errors.again}>
                  {(p) => (
                    <input {...p} className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="export-passphrase-again" />
                  )}
                </Field>
              </div>
            )}
          </fieldset>

          <fieldset className="bundle-fieldset">
            <legend>{t('export.contents')}</legend>
            <label className="bundle-check">
              <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} data-testid="export-redact" />
              <span>
                <strong>{t('export.redact')}</strong>
                <span className="field-hint">{t('export.redactHint')}</span>
              </span>
            </label>
            <label className="bundle-check">
              <input type="checkbox" checked={media} onChange={(e) => setMedia(e.target.checked)} data-testid="export-media" />
              <span>
                <strong>{t('export.media')}</strong>
                <span className="field-hint">{t('export.mediaHint')}</span>
              </span>
            </label>
          </fieldset>

          <div className="bundle-grid">
            <Field label={t('export.organization')} hint={t('export.organizationHint')}>
              {(p) => <input {...p} className="input" dir="auto" value={organization} onChange={(e) => setOrganization(e.target.value)} maxLength={500} />}
            </Field>
            <Field label={t('export.to')} hint={t('export.toHint')} error={errors.to}>
              {(p) => (
                <input
                  {...p}
                  className="input mono"
                  dir="ltr"
                  value={to}
                  onChange={(e) => {
                    touchedPath.current = true;
                    setTo(e.target.value);
                  }}
                  spellCheck={false}
                  data-testid="export-to"
                />
              )}
            </Field>
          </div>
          <label className="bundle-check bundle-check-small">
            <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} />
            <span>{t('export.overwrite')}</span>
          </label>
        </form>
      )}

      {phase.name === 'running' && <BundleProgress progress={phase.progress} starting={t('export.starting')} />}

      {phase.name === 'cancelled' && (
        <p className="notice" role="status" data-testid="export-cancelled">
          {t('export.cancelled')}
        </p>
      )}

      {phase.name === 'done' && (
        <div className="bundle-done stack" role="status" data-testid="export-done">
          <p className="bundle-success">{t('export.done')}</p>
          <code className="bundle-path" dir="ltr" data-testid="export-path">
            {phase.result.path}
          </code>
          <ul className="bundle-facts">
            <li>{t('export.factItems', { count: formatNumber(phase.result.items) })}</li>
            <li>{t('export.factFiles', { count: formatNumber(phase.result.files), size: formatBytes(phase.result.bytes) })}</li>
            {phase.result.omittedFiles > 0 && <li>{t('export.factOmitted', { count: formatNumber(phase.result.omittedFiles) })}</li>}
            {phase.result.redacted && <li>{t('export.factRedacted')}</li>}
            {phase.result.withheld > 0 && <li>{t('export.factWithheld', { count: formatNumber(phase.result.withheld) })}</li>}
          </ul>
          <p className="muted">{method === 'passphrase' ? t('export.sendPassphrase') : t('export.sendKeys')}</p>
        </div>
      )}
    </Modal>
  );
}

/** The contract takes one way of selecting, and no empty ones. */
function cleanSelection(selection: ExportSelection): { ids?: string[]; collection?: string; query?: string } {
  if (selection.ids && selection.ids.length > 0) return { ids: [...selection.ids] };
  if (selection.collection) return { collection: selection.collection };
  if (selection.query && selection.query.trim()) return { query: selection.query.trim() };
  return {};
}

export function shortKey(key: string): string {
  return key.length > 24 ? `${key.slice(0, 12)}…${key.slice(-8)}` : key;
}
