// Import a bundle, looking before leaping: choose the .sijil file (sent up to the server in
// browser mode, or a path typed), say what opens it (its passphrase, this archive's own key, or a
// secret key), then Inspect shows who made it, when, what it holds and whether it is redacted,
// without changing anything. Import verifies every checksum before the one merge transaction,
// with progress and Cancel, and ends on what was added, recognised and kept twice as conflicts,
// which can be resolved right there.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundleImportResult, BundleInfo, BundleProgressEvent } from '../../shared/api.ts';
import { ITEM_KINDS } from '../../shared/domain.ts';
import { api, ApiError } from '../api.ts';
import { Modal } from '../components/Modal.tsx';
import { errorMessage, isCancelled } from '../errors.ts';
import { formatBytes, formatDate, formatDateTime, formatNumber } from '../format.ts';
import { routeHash } from '../route.ts';
import { useFocusFirstError } from '../import/useFocusFirstError.ts';
import { Field } from '../import/Field.tsx';
import { FilePick } from '../import/FilePick.tsx';
import { BundleProgress } from './BundleProgress.tsx';
import { ConflictList } from './ConflictList.tsx';
import '../import/import.css';
import './bundle.css';

export interface ImportBundleDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onImported: () => void;
  readonly onOpenItem?: (id: string) => void;
}

type Opener = 'passphrase' | 'archiveKey' | 'identity';
type Credentials = { passphrase: string } | { useArchiveKey: true; keyPassphrase: string } | { identity: string };

type Phase =
  | { readonly name: 'choose' }
  | { readonly name: 'inspecting' }
  | { readonly name: 'inspected'; readonly info: BundleInfo }
  | { readonly name: 'importing'; readonly progress: BundleProgressEvent | null }
  | { readonly name: 'done'; readonly result: BundleImportResult }
  | { readonly name: 'cancelled' };

type Errors = Partial<Record<'file' | 'secret' | 'form', string>>;

export function ImportBundleDialog(props: ImportBundleDialogProps) {
  return props.open ? <ImportBundleBody {...props} /> : null;
}

function ImportBundleBody({ onClose, onImported, onOpenItem }: ImportBundleDialogProps) {
  const { t } = useTranslation(['bundle', 'search']);
  const [file, setFile] = useState<File | null>(null);
  const [typedPath, setTypedPath] = useState('');
  const [opener, setOpener] = useState<Opener>('passphrase');
  const [hasOwnKey, setHasOwnKey] = useState(false);
  const [secret, setSecret] = useState('');
  const [identity, setIdentity] = useState('');
  const [phase, setPhase] = useState<Phase>({ name: 'choose' });
  const [errors, setErrors] = useState<Errors>({});
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);
  const uploaded = useRef<{ file: File; path: string } | null>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    let live = true;
    api.call('keys.status', {}).then(
      (s) => {
        if (!live) return;
        setHasOwnKey(s.recipient !== null);
        // A bundle sent to this archive opens with its own key: the likely choice when there is one.
        if (s.recipient !== null) setOpener('archiveKey');
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => () => abort.current?.abort(), []);

  const credentials = (): Credentials => {
    switch (opener) {
      case 'passphrase':
        return { passphrase: secret };
      case 'archiveKey':
        return { useArchiveKey: true, keyPassphrase: secret };
      case 'identity':
        return { identity: identity.trim() };
    }
  };

  /** The bundle's path on the machine running Sijil: the typed one, or the chosen file sent up once. */
  const bundlePath = async (): Promise<string> => {
    if (!file) return typedPath.trim();
    if (uploaded.current?.file === file) return uploaded.current.path;
    const path = await api.fileToPath(file);
    uploaded.current = { file, path };
    return path;
  };

  const showError = (err: unknown) => {
    const code = err instanceof ApiError ? err.code : 'internal';
    switch (code) {
      case 'wrong-passphrase':
        setErrors({ secret: opener === 'archiveKey' ? t('importBundle.wrongKeyPassphrase') : t('importBundle.wrongPassphrase') });
        return;
      case 'no-matching-key':
        setErrors({ secret: t('importBundle.noMatchingKey') });
        return;
      case 'not-a-bundle':
      case 'bundle-damaged':
      case 'file-unreadable':
      case 'not-found':
        setErrors({ file: errorMessage(err) });
        return;
      default:
        setErrors({ form: errorMessage(err) });
    }
  };

  const inspect = async (e: FormEvent) => {
    e.preventDefault();
    const found: Errors = {};
    if (!file && typedPath.trim() === '') found.file = t('importBundle.fileRequired');
    if (opener === 'identity' ? identity.trim() === '' : secret === '') found.secret = t(`importBundle.secretRequired.${opener}`);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setPhase({ name: 'inspecting' });
    try {
      const path = await bundlePath();
      const info = await api.call('bundle.inspect', { path, credentials: credentials() });
      setPhase({ name: 'inspected', info });
    } catch (err) {
      setPhase({ name: 'choose' });
      showError(err);
    }
  };

  const runImport = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setPhase({ name: 'importing', progress: null });
    try {
      const path = await bundlePath();
      const result = await api.call(
        'bundle.import',
        { path, credentials: credentials() },
        {
          signal: controller.signal,
          onProgress: (event, payload) => {
            if (event === 'bundle.progress') setPhase({ name: 'importing', progress: payload as BundleProgressEvent });
          },
        },
      );
      setPhase({ name: 'done', result });
      onImported();
    } catch (err) {
      if (controller.signal.aborted || isCancelled(err)) setPhase({ name: 'cancelled' });
      else {
        setPhase({ name: 'choose' });
        showError(err);
      }
    } finally {
      abort.current = null;
    }
  };

  const busy = phase.name === 'inspecting' || phase.name === 'importing';

  let footer;
  switch (phase.name) {
    case 'choose':
    case 'inspecting':
      footer = (
        <>
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            {t('cancel')}
          </button>
          <button type="submit" form="bundle-open-form" className="btn btn-primary" disabled={busy} data-testid="bundle-inspect">
            {phase.name === 'inspecting' ? t('importBundle.inspecting') : t('importBundle.inspect')}
          </button>
        </>
      );
      break;
    case 'inspected':
      footer = (
        <>
          <button type="button" className="btn" onClick={() => setPhase({ name: 'choose' })}>
            {t('back')}
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void runImport()} data-testid="bundle-import">
            {t('importBundle.import', { count: formatNumber(phase.info.counts.items) })}
          </button>
        </>
      );
      break;
    case 'importing':
      footer = (
        <button type="button" className="btn btn-danger" onClick={() => abort.current?.abort()} data-testid="bundle-cancel">
          {t('cancel')}
        </button>
      );
      break;
    case 'done':
    case 'cancelled':
      footer = (
        <button type="button" className="btn btn-primary" onClick={onClose} data-testid="bundle-close">
          {t('close')}
        </button>
      );
      break;
  }

  return (
    <Modal open title={t('importBundle.title')} onClose={onClose} busy={busy} footer={footer} wide className="import-bundle-dialog">
      {(phase.name === 'choose' || phase.name === 'inspecting') && (
        <form id="bundle-open-form" ref={formRef} className="stack" onSubmit={(e) => void inspect(e)} noValidate>
          <p className="muted">{t('importBundle.intro')}</p>
          {errors.form && (
            <p className="error-box" role="alert">
              {errors.form}
            </p>
          )}
          <fieldset className="bundle-fieldset">
            <legend>{t('importBundle.file')}</legend>
            <div className="file-slot">
              <FilePick accept=".sijil,.age,application/octet-stream" onPick={(f) => setFile(f[0] ?? null)} testId="bundle-file-input">
                {t('importBundle.chooseFile')}
              </FilePick>
              {file && (
                <>
                  <bdi className="bundle-file-name" data-testid="bundle-file-name">
                    {file.name}
                  </bdi>
                  <span className="faint">{formatBytes(file.size)}</span>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setFile(null)}>
                    {t('remove')}
                  </button>
                </>
              )}
            </div>
            {!file && (
              <Field label={t('importBundle.orPath')} hint={t('importBundle.pathHint')}>
                {(p) => (
                  <input {...p} className="input mono" dir="ltr" value={typedPath} onChange={(e) => setTypedPath(e.target.value)} spellCheck={false} data-testid="bundle-path" />
                )}
              </Field>
            )}
            {errors.file && (
              <p className="field-error" role="alert">
                {errors.file}
              </p>
            )}
          </fieldset>

          <fieldset className="bundle-fieldset">
            <legend>{t('importBundle.opensWith')}</legend>
            <div className="bundle-methods bundle-methods-3" role="radiogroup" aria-label={t('importBundle.opensWith')}>
              {(['passphrase', 'archiveKey', 'identity'] as const).map((o) => (
                <label key={o} className={`bundle-method${opener === o ? ' is-on' : ''}${o === 'archiveKey' && !hasOwnKey ? ' is-disabled' : ''}`}>
                  <input
                    type="radio"
                    name="opener"
                    checked={opener === o}
                    disabled={o === 'archiveKey' && !hasOwnKey}
                    onChange={() => {
                      setOpener(o);
                      setErrors({});
                    }}
                    data-testid={`bundle-opener-${o}`}
                  />
                  <span>
                    <strong>{t(`importBundle.opener.${o}`)}</strong>
                    <span className="field-hint">{o === 'archiveKey' && !hasOwnKey ? t('importBundle.noOwnKey') : t(`importBundle.openerHint.${o}`)}</span>
                  </span>
                </label>
              ))}
            </div>
            {opener === 'identity' ? (
              <Field label={t('importBundle.identity')} hint={t('importBundle.identityHint')} error={errors.secret}>
                {(p) => (
                  <>
                    <textarea
                      {...p}
                      className="textarea mono"
                      dir="ltr"
                      rows={3}
                      value={identity}
                      onChange={(e) => setIdentity(e.target.value)}
                      spellCheck={false}
                      autoComplete="off"
                      placeholder="AGE-SECRET-KEY-1…"
                      data-testid="bundle-identity"
                    />
                    <div>
                      <FilePick className="btn btn-small" onPick={(f) => void f[0]?.text().then(setIdentity)}>
                        {t('importBundle.identityFile')}
                      </FilePick>
                    </div>
                  </>
                )}
              </Field>
            ) : (
              <Field label={t(`importBundle.secretLabel.${opener}`)} error={errors.secret}>
                {(p) => (
                  <input
                    {...p}
                    className="input"
                    type="password"
                    autoComplete={opener === 'archiveKey' ? 'current-password' : 'off'}
                    value={secret}
                    onChange={(e) => setSecret(e.target.value)}
                    data-testid="bundle-secret"
                  />
                )}
              </Field>
            )}
          </fieldset>
        </form>
      )}

      {phase.name === 'inspected' && <BundleSummary info={phase.info} />}

      {phase.name === 'importing' && <BundleProgress progress={phase.progress} starting={t('importBundle.starting')} />}

      {phase.name === 'cancelled' && (
        <p className="notice" role="status" data-testid="bundle-cancelled">
          {t('importBundle.cancelled')}
        </p>
      )}

      {phase.name === 'done' && <ImportResult result={phase.result} onOpenItem={onOpenItem} onClose={onClose} onChanged={onImported} />}
    </Modal>
  );
}

function BundleSummary({ info }: { info: BundleInfo }) {
  const { t } = useTranslation(['bundle', 'search']);
  const kinds = ITEM_KINDS.filter((k) => (info.counts.byKind[k] ?? 0) > 0);
  return (
    <div className="stack bundle-summary" data-testid="bundle-summary">
      {info.alreadyImported && <p className="notice">{t('inspect.alreadyImported', { date: formatDateTime(info.alreadyImported) })}</p>}
      <dl className="bundle-facts-grid">
        <dt>{t('inspect.madeBy')}</dt>
        <dd>
          <bdi data-testid="bundle-organization">{info.organization ?? t('inspect.unknown')}</bdi>
          <span className="faint"> · {info.software}</span>
        </dd>
        <dt>{t('inspect.madeOn')}</dt>
        <dd>{formatDateTime(info.createdAt)}</dd>
        <dt>{t('inspect.items')}</dt>
        <dd data-testid="bundle-items">
          {formatNumber(info.counts.items)}
          {kinds.length > 0 && (
            <span className="faint">
              {' '}
              ({kinds.map((k) => `${t(`search:kind.${k}`)} ${formatNumber(info.counts.byKind[k] ?? 0)}`).join(t('search:listSeparator'))})
            </span>
          )}
        </dd>
        <dt>{t('inspect.files')}</dt>
        <dd>
          {t('inspect.filesValue', { count: formatNumber(info.counts.files), size: formatBytes(info.counts.bytes) })}
          {info.counts.omittedFiles > 0 && (
            <span className="faint"> · {t('inspect.omitted', { count: formatNumber(info.counts.omittedFiles), size: formatBytes(info.counts.omittedBytes) })}</span>
          )}
        </dd>
        <dt>{t('inspect.size')}</dt>
        <dd>{formatBytes(info.size)}</dd>
        <dt>{t('inspect.redacted')}</dt>
        <dd data-testid="bundle-redacted">{info.redacted ? t('inspect.redactedYes') : t('inspect.redactedNo')}</dd>
        {info.counts.collections > 0 && (
          <>
            <dt>{t('inspect.collections')}</dt>
            <dd>
              {info.collections.map((c, i) => (
                <span key={c.name}>
                  {i > 0 && t('search:listSeparator')}
                  <bdi>{c.name}</bdi>
                </span>
              ))}
            </dd>
          </>
        )}
        {info.alreadyHere > 0 && (
          <>
            <dt>{t('inspect.alreadyHereLabel')}</dt>
            <dd>{t('inspect.alreadyHere', { count: formatNumber(info.alreadyHere) })}</dd>
          </>
        )}
      </dl>
      {info.items.length > 0 && (
        <details className="bundle-items" open={info.items.length <= 8}>
          <summary>{t('inspect.list')}</summary>
          <ul>
            {info.items.slice(0, 300).map((item) => (
              <li key={item.id}>
                <span className="kind-badge">{t(`search:kind.${item.kind}`)}</span>
                <span className="grow truncate">
                  <bdi>{item.title}</bdi>
                </span>
                {item.date && <span className="faint">{formatDate(item.date)}</span>}
                {item.here && <span className="badge">{t('inspect.here')}</span>}
              </li>
            ))}
            {info.items.length > 300 && <li className="faint">{t('inspect.more', { count: formatNumber(info.items.length - 300) })}</li>}
          </ul>
        </details>
      )}
    </div>
  );
}

function ImportResult({
  result,
  onOpenItem,
  onClose,
  onChanged,
}: {
  result: BundleImportResult;
  onOpenItem: ((id: string) => void) | undefined;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { t } = useTranslation('bundle');
  const added = result.items.filter((i) => i.status === 'added');
  return (
    <div className="stack" data-testid="bundle-result">
      <p className="bundle-success" role="status">
        {result.alreadyImported ? t('result.again', { date: formatDateTime(result.alreadyImported) }) : t('result.done')}
      </p>
      <div className="import-counts">
        <span className="import-count import-count-imported" data-testid="bundle-added">
          {t('result.added', { count: formatNumber(result.added) })}
        </span>
        <span className="import-count">{t('result.unchanged', { count: formatNumber(result.unchanged) })}</span>
        <span className="import-count">{t('result.duplicates', { count: formatNumber(result.duplicates) })}</span>
        <span className={`import-count${result.conflicts > 0 ? ' import-count-skipped' : ''}`} data-testid="bundle-conflicts">
          {t('result.conflicts', { count: formatNumber(result.conflicts) })}
        </span>
      </div>
      {(result.filesAdded > 0 || result.linksAdded > 0) && (
        <p className="muted">{t('result.extra', { files: formatNumber(result.filesAdded), links: formatNumber(result.linksAdded) })}</p>
      )}
      {added.length > 0 && (
        <details>
          <summary>{t('result.addedList')}</summary>
          <ul className="bundle-added">
            {added.slice(0, 200).map((i) => (
              <li key={i.itemId}>
                <a
                  className="import-item-link"
                  href={routeHash({ name: 'item', id: i.itemId })}
                  dir="auto"
                  onClick={(e) => {
                    e.preventDefault();
                    if (onOpenItem) onOpenItem(i.itemId);
                    else window.location.hash = routeHash({ name: 'item', id: i.itemId });
                    onClose();
                  }}
                >
                  {i.title}
                </a>
              </li>
            ))}
          </ul>
        </details>
      )}
      <ConflictList bundleId={result.bundleId} onResolved={onChanged} />
    </div>
  );
}
