// Keys, in Settings: the archive's own age key (made once, protected by a passphrase typed
// twice; its public recipient shown to copy and send to whoever will send bundles here) and the
// address book of people bundles can be encrypted to.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_KEY_PASSPHRASE_CHARS, type AddressBookEntry } from '../../shared/api.ts';
import type { PhraseKey } from '../../shared/phrase.ts';
import { api, ApiError } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { engineFieldError } from '../import/fieldErrors.ts';
import { formatNumber } from '../format.ts';
import { Field } from '../import/Field.tsx';
import { useFocusFirstError } from '../import/useFocusFirstError.ts';
import { recipientProblem } from './recipients.ts';
import './keys.css';

type Status = { readonly state: 'loading' } | { readonly state: 'ready'; readonly recipient: string | null } | { readonly state: 'error'; readonly message: string };

const NAME_REFUSALS: ReadonlySet<PhraseKey> = new Set<PhraseKey>(['keys.recipientNameEmpty', 'keys.recipientNameTooLong', 'keys.recipientNameControls', 'keys.nameTaken', 'keys.nameTakenSameKey']);

export function KeyManager() {
  const { t } = useTranslation('keys');
  const [status, setStatus] = useState<Status>({ state: 'loading' });

  const load = useCallback(() => {
    api.call('keys.status', {}).then(
      (s) => setStatus({ state: 'ready', recipient: s.recipient }),
      (err: unknown) => setStatus({ state: 'error', message: errorMessage(err) }),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <div className="keys" data-testid="key-manager">
      <section className="keys-section" aria-labelledby="keys-own-title">
        <h3 id="keys-own-title">{t('own.title')}</h3>
        {status.state === 'loading' && <p className="muted">{t('loading')}</p>}
        {status.state === 'error' && (
          <p className="error-box" role="alert">
            {status.message}
          </p>
        )}
        {status.state === 'ready' && status.recipient === null && <CreateKey onCreated={(recipient) => setStatus({ state: 'ready', recipient })} />}
        {status.state === 'ready' && status.recipient !== null && <OwnKey recipient={status.recipient} />}
      </section>
      <AddressBook />
    </div>
  );
}

function CreateKey({ onCreated }: { onCreated: (recipient: string) => void }) {
  const { t } = useTranslation('keys');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<{ passphrase?: string; again?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: typeof errors = {};
    if ([...passphrase].length < MIN_KEY_PASSPHRASE_CHARS) found.passphrase = t('create.tooShort', { min: formatNumber(MIN_KEY_PASSPHRASE_CHARS) });
    if (again !== passphrase) found.again = t('create.mismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const { recipient } = await api.call('keys.create', { passphrase });
      setPassphrase('');
      setAgain('');
      onCreated(recipient);
    } catch (err) {
      // The engine names what is wrong with a passphrase; anything else is about the archive.
      // (keys.create takes nothing else: any refused argument, a passphrase too simple included, is about it.)
      const where = engineFieldError(err, ['passphrase']);
      const aboutPassphrase = where.field !== null || (err instanceof ApiError && err.code === 'invalid-argument');
      setErrors(aboutPassphrase ? { passphrase: where.message } : { form: where.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} className="keys-create stack" onSubmit={(e) => void submit(e)} noValidate data-testid="key-create">
      <p className="muted">{t('create.intro')}</p>
      {errors.form && (
        <p className="error-box" role="alert">
          {errors.form}
        </p>
      )}
      <div className="keys-grid">
        <Field label={t('create.passphrase')} hint={t('create.hint', { min: formatNumber(MIN_KEY_PASSPHRASE_CHARS) })} error={errors.passphrase}>
          {(p) => (
            <input {...p} className="input" type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="key-passphrase" />
          )}
        </Field>
        <Field label={t('create.again')} error={errors.again}>
          {(p) => (
            <input {...p} className="input" type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="key-passphrase-again" />
          )}
        </Field>
      </div>
      <p className="notice">{t('create.warning')}</p>
      <div>
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="key-create-submit">
          {busy ? t('create.working') : t('create.submit')}
        </button>
      </div>
    </form>
  );
}

function OwnKey({ recipient }: { recipient: string }) {
  const { t } = useTranslation('keys');
  return (
    <div className="stack">
      <p className="muted">{t('own.explain')}</p>
      <CopyableKey value={recipient} testId="own-recipient" />
      <CheckPassphrase />
    </div>
  );
}

export function CopyableKey({ value, testId }: { value: string; testId?: string }) {
  const { t } = useTranslation('keys');
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="keys-copy">
      <code className="keys-recipient" dir="ltr" data-testid={testId}>
        {value}
      </code>
      <button type="button" className="btn btn-small" onClick={() => void copy()}>
        {t('copy')}
      </button>
      <span role="status" className="faint keys-copied">
        {copied === 'yes' ? t('copied') : copied === 'no' ? t('copyFailed') : ''}
      </span>
    </div>
  );
}

function CheckPassphrase() {
  const { t } = useTranslation('keys');
  const [open, setOpen] = useState(false);
  const [passphrase, setPassphrase] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <div>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setOpen(true)}>
          {t('check.open')}
        </button>
      </div>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.call('keys.check', { passphrase });
      setResult({ ok: true, message: t('check.ok') });
      setPassphrase('');
    } catch (err) {
      setResult({ ok: false, message: err instanceof ApiError && err.code === 'wrong-passphrase' ? t('check.wrong') : errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="row keys-check" onSubmit={(e) => void submit(e)}>
      <input
        className="input"
        type="password"
        autoComplete="current-password"
        aria-label={t('check.label')}
        placeholder={t('check.label')}
        value={passphrase}
        onChange={(e) => setPassphrase(e.target.value)}
      />
      <button type="submit" className="btn" disabled={busy || passphrase === ''}>
        {busy ? t('check.working') : t('check.submit')}
      </button>
      {result && (
        <span className={result.ok ? 'keys-ok' : 'field-error'} role="status">
          {result.message}
        </span>
      )}
    </form>
  );
}

function AddressBook() {
  const { t } = useTranslation('keys');
  const [entries, setEntries] = useState<readonly AddressBookEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [recipient, setRecipient] = useState('');
  const [errors, setErrors] = useState<{ name?: string; recipient?: string; form?: string }>({});
  const [busy, setBusy] = useState(false);
  const addRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(addRef, errors);
  const [confirming, setConfirming] = useState<string | null>(null);

  const load = useCallback(() => {
    api.call('keys.recipients.list', {}).then(
      (list) => {
        setEntries(list);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(errorMessage(err)),
    );
  }, []);
  useEffect(load, [load]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const found: typeof errors = {};
    if (name.trim() === '') found.name = t('book.nameRequired');
    const problem = recipientProblem(recipient);
    if (problem) found.recipient = t(problem);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      await api.call('keys.recipients.add', { name: name.trim(), recipient: recipient.trim() });
      setName('');
      setRecipient('');
      load();
    } catch (err) {
      // A rule of the contract names its field; of the address book's own refusals, those about the name go by it, the rest by the key.
      const where = engineFieldError(err, ['name', 'recipient']);
      const said = err instanceof ApiError ? err.phrase?.key : undefined;
      if (where.field === 'name' || (said !== undefined && NAME_REFUSALS.has(said))) setErrors({ name: where.message });
      else if (where.field !== null || (err instanceof ApiError && (err.code === 'conflict' || err.code === 'invalid-argument'))) setErrors({ recipient: where.message });
      else setErrors({ form: where.message });
    } finally {
      setBusy(false);
    }
  };

  const remove = async (entryName: string) => {
    setConfirming(null);
    try {
      await api.call('keys.recipients.remove', { name: entryName });
      load();
    } catch (err) {
      setErrors({ form: errorMessage(err) });
    }
  };

  return (
    <section className="keys-section" aria-labelledby="keys-book-title">
      <h3 id="keys-book-title">{t('book.title')}</h3>
      <p className="muted">{t('book.intro')}</p>
      {loadError && (
        <p className="error-box" role="alert">
          {loadError}
        </p>
      )}
      {entries && entries.length === 0 && <p className="faint">{t('book.empty')}</p>}
      {entries && entries.length > 0 && (
        <ul className="keys-book" data-testid="address-book">
          {entries.map((e) => (
            <li key={e.name}>
              <bdi className="keys-book-name">{e.name}</bdi>
              <code className="keys-book-key" dir="ltr" title={e.recipient}>
                {shortKey(e.recipient)}
              </code>
              {confirming === e.name ? (
                <span className="row">
                  <button type="button" className="btn btn-small btn-danger" onClick={() => void remove(e.name)}>
                    {t('book.confirmRemove')}
                  </button>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(null)}>
                    {t('book.keep')}
                  </button>
                </span>
              ) : (
                <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(e.name)} aria-label={t('book.removeNamed', { name: e.name })}>
                  {t('book.remove')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form ref={addRef} className="stack keys-add" onSubmit={(e) => void add(e)} noValidate>
        <h4>{t('book.add')}</h4>
        {errors.form && (
          <p className="error-box" role="alert">
            {errors.form}
          </p>
        )}
        <div className="keys-grid">
          <Field label={t('book.name')} error={errors.name}>
            {(p) => <input {...p} className="input" dir="auto" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="recipient-name" />}
          </Field>
          <Field label={t('book.recipient')} hint={t('book.recipientHint')} error={errors.recipient}>
            {(p) => (
              <input
                {...p}
                className="input mono"
                dir="ltr"
                value={recipient}
                onChange={(e) => setRecipient(e.target.value)}
                placeholder="age1…"
                spellCheck={false}
                autoComplete="off"
                data-testid="recipient-key"
              />
            )}
          </Field>
        </div>
        <div>
          <button type="submit" className="btn" disabled={busy} data-testid="recipient-add">
            {t('book.addButton')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** age1qyq…k3j8: enough to tell keys apart at a glance; the whole key is in the title. */
function shortKey(key: string): string {
  return key.length > 24 ? `${key.slice(0, 12)}…${key.slice(-8)}` : key;
}
