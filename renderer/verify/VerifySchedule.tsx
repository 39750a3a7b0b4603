// Settings: how often the archive verifies itself (off, daily, weekly, monthly). The schedule is
// kept in the archive folder by the engine, so it travels with the archive; a due verification
// runs in the background at the next launch (VerifyNotice.tsx).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { VERIFY_EVERY, type VerifyEvery, type VerifyStatus } from '../../shared/api.ts';
import { api } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import { routeHash } from '../route.ts';
import { useFinishedRuns } from './runner.ts';
import './verify.css';

export function VerifySchedule() {
  const { t } = useTranslation('verify');
  const finished = useFinishedRuns();
  const [status, setStatus] = useState<VerifyStatus | null>(null);
  const [saving, setSaving] = useState<VerifyEvery | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('verify.status', {}).then(
      (v) => live && setStatus(v),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [finished]);

  const choose = async (every: VerifyEvery) => {
    setSaving(every);
    setError(null);
    try {
      setStatus(await api.call('verify.schedule', { every }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(null);
    }
  };

  const shown = saving ?? status?.every;
  return (
    <div className="stack" data-testid="verify-schedule">
      <fieldset className="settings-choice" disabled={status === null || saving !== null}>
        <legend>{t('settings.schedule')}</legend>
        <div className="segmented segmented-text">
          {VERIFY_EVERY.map((every) => (
            <label key={every} className={`seg-option${shown === every ? ' is-on' : ''}`}>
              <input type="radio" name="verify-every" value={every} checked={shown === every} onChange={() => void choose(every)} />
              <span>{t(`every.${every}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <p className="muted verify-schedule-status" data-testid="verify-schedule-status">
        {status === null
          ? '\u00a0'
          : status.last === null
            ? t('never')
            : t(status.last.ok ? 'lastOk' : 'lastProblems', { date: formatDateTime(status.last.at) })}{' '}
        <a href={routeHash({ name: 'verify' })}>{t('settings.open')}</a>
      </p>
      <p className="faint">{t('settings.hint')}</p>
      {error && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
