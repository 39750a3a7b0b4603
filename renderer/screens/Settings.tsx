// Settings: language, theme, where the archive lives (a check of it, a rebuild of its search index), and the archive's keys.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveInfo, CheckResult } from '../../shared/api.ts';
import { api, isDesktop } from '../api.ts';
import { checkOutcome, databaseState, errorMessage, sayHere } from '../errors.ts';
import { formatBytes, formatNumber } from '../format.ts';
import { LANGUAGES, setLanguage, type Language } from '../i18n.ts';
import { KeyManager } from '../keys/KeyManager.tsx';
import { THEMES, savedTheme, setTheme, type Theme } from '../theme.ts';
import { VerifySchedule } from '../verify/VerifySchedule.tsx';

export function Settings({ revision }: { revision: number }) {
  const { t, i18n } = useTranslation('settings');
  const { t: tv } = useTranslation('verify');
  const [theme, setThemeState] = useState<Theme>(savedTheme);
  const [info, setInfo] = useState<ArchiveInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [checking, setChecking] = useState(false);
  const [rebuilding, setRebuilding] = useState(false);
  const [rebuilt, setRebuilt] = useState<number | null>(null);
  const [moving, setMoving] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('archive.info', {}).then(
      (v) => live && setInfo(v),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [revision]);

  const runCheck = async () => {
    setChecking(true);
    setCheck(null);
    setRebuilt(null);
    setError(null);
    try {
      setCheck(await api.call('archive.check', {}));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setChecking(false);
    }
  };

  // Desktop only: the main process shows the system's folder picker and, for a usable folder, starts again on it.
  const chooseArchive = async () => {
    setError(null);
    try {
      const result = await api.call('archive.choose', {});
      if (result.chosen) setMoving(result.dir);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  // The index is derived from the items, so rebuilding it changes no evidence; the check runs again to show it mended.
  const rebuildIndex = async () => {
    setRebuilding(true);
    setRebuilt(null);
    setError(null);
    try {
      const { indexed } = await api.call('index.rebuild', {});
      setRebuilt(indexed);
      setCheck(await api.call('archive.check', {}));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setRebuilding(false);
    }
  };

  return (
    <section className="screen settings" aria-labelledby="settings-title">
      <header className="screen-header">
        <h1 id="settings-title">{t('title')}</h1>
      </header>
      <div className="settings-body">
        <section className="settings-section card" aria-labelledby="set-appearance">
          <h2 id="set-appearance">{t('appearance')}</h2>
          <fieldset className="settings-choice">
            <legend>{t('language')}</legend>
            <div className="segmented segmented-text">
              {LANGUAGES.map((lang: Language) => (
                <label key={lang} className={`seg-option${i18n.language === lang ? ' is-on' : ''}`}>
                  <input type="radio" name="language" value={lang} checked={i18n.language === lang} onChange={() => setLanguage(lang)} />
                  <span lang={lang}>{t(`languages.${lang}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset className="settings-choice">
            <legend>{t('theme')}</legend>
            <div className="segmented segmented-text">
              {THEMES.map((value) => (
                <label key={value} className={`seg-option${theme === value ? ' is-on' : ''}`}>
                  <input
                    type="radio"
                    name="theme"
                    value={value}
                    checked={theme === value}
                    onChange={() => {
                      setTheme(value);
                      setThemeState(value);
                    }}
                  />
                  <span>{t(`themes.${value}`)}</span>
                </label>
              ))}
            </div>
          </fieldset>
        </section>

        <section className="settings-section card" aria-labelledby="set-archive">
          <h2 id="set-archive">{t('archive')}</h2>
          {error && (
            <div className="error-box" role="alert">
              {error}
            </div>
          )}
          {info && (
            <dl className="facts">
              <dt>{t('location')}</dt>
              <dd>
                <code className="mono path" dir="ltr">
                  {info.dir}
                </code>
              </dd>
              <dt>{t('items')}</dt>
              <dd>{formatNumber(info.items)}</dd>
              <dt>{t('inTrash')}</dt>
              <dd>{formatNumber(info.trash)}</dd>
              <dt>{t('files')}</dt>
              <dd>
                {formatNumber(info.blobs)} · {formatBytes(info.bytes)}
              </dd>
              <dt>{t('schema')}</dt>
              <dd>{formatNumber(info.schemaVersion)}</dd>
            </dl>
          )}
          <p className="muted">{t('locationHint')}</p>
          {isDesktop() ? (
            <div className="row">
              <button type="button" className="btn" onClick={() => void chooseArchive()} disabled={moving !== null} data-testid="choose-archive">
                {t('chooseArchive')}
              </button>
            </div>
          ) : (
            <p className="muted" data-testid="choose-archive-browser">
              {t('chooseArchiveBrowser')}
            </p>
          )}
          {moving !== null && (
            <p role="status">
              {t('restartingOn')}{' '}
              <code className="mono path" dir="ltr">
                {moving}
              </code>
            </p>
          )}
          <div className="row">
            <button type="button" className="btn" onClick={() => void runCheck()} disabled={checking || rebuilding}>
              {checking && <span className="spinner" />}
              {checking ? t('checking') : t('check')}
            </button>
            <button type="button" className="btn" onClick={() => void rebuildIndex()} disabled={rebuilding || checking} data-testid="rebuild-index">
              {rebuilding && <span className="spinner" />}
              {rebuilding ? t('rebuildingIndex') : t('rebuildIndex')}
            </button>
          </div>
          {check && (
            <div className={check.ok ? 'check-ok' : 'error-box'} role="status">
              <strong>{check.ok ? t('checkOk') : t('checkProblems')}</strong>
              <ul className="check-list">
                <li>{t('checkIntegrity', { value: checkOutcome(check.integrity) })}</li>
                <li>{t('checkForeignKeys', { count: check.foreignKeys })}</li>
                <li>{t('checkIndex', { value: checkOutcome(check.searchIndex, check.searchIndexSaid) })}</li>
                <li>{t('checkBlobs', { count: check.missingBlobs.length })}</li>
                <li>{check.custodyChain ? t('checkChainBroken', { seq: check.custodyChain.seq, problem: sayHere(check.custodyChain.said) ?? check.custodyChain.problem }) : t('checkChainOk')}</li>
              </ul>
              {databaseState(check) === 'index' && <p>{t('indexAdvice')}</p>}
              {check.missingBlobs.slice(0, 20).map((b) => (
                <p key={b.sha256 + b.itemId} className="mono">
                  {b.name} ({b.itemId})
                </p>
              ))}
            </div>
          )}
          {rebuilt !== null && (
            <p role="status" data-testid="index-rebuilt">
              {t('indexRebuilt', { count: rebuilt, n: formatNumber(rebuilt) })}
            </p>
          )}
        </section>

        <section className="settings-section card" aria-labelledby="set-verify">
          <h2 id="set-verify">{tv('settings.title')}</h2>
          <VerifySchedule />
        </section>

        <section className="settings-section card" aria-labelledby="set-keys">
          <h2 id="set-keys">{t('keys')}</h2>
          <p className="muted">{t('keysHint')}</p>
          <KeyManager />
        </section>
      </div>
    </section>
  );
}
