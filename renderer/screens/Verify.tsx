// Verify: re-hash every file of the archive, walk the custody chain and check the database, with
// progress (files and bytes) and Cancel, then the report. The run belongs to renderer/verify/runner.ts,
// so leaving this screen does not stop it; coming back shows where it is.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VerifyProgressEvent, VerifyStatus } from '../../shared/api.ts';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { errorMessage } from '../errors.ts';
import { formatBytes, formatDateTime, formatNumber } from '../format.ts';
import { routeHash } from '../route.ts';
import { VerifyReportView } from '../verify/VerifyReportView.tsx';
import { cancelVerify, markSeen, startVerify, useFinishedRuns, useVerifyRun } from '../verify/runner.ts';
import '../verify/verify.css';

export function Verify() {
  const { t } = useTranslation('verify');
  const run = useVerifyRun();
  const finished = useFinishedRuns();
  const [status, setStatus] = useState<VerifyStatus | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    api.call('verify.status', {}).then(
      (v) => {
        if (!live) return;
        setStatus(v);
        setStatusError(null);
      },
      (err: unknown) => live && setStatusError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [finished]);

  // Whatever this screen shows is seen: the app-wide notice about it can go.
  useEffect(() => markSeen(), [run]);

  // Keyboard focus follows the one button that matters: Cancel while running, Start after. A
  // layout effect, so focus has moved before the next key press is handled (Enter, Enter cancels).
  const running = run.state === 'running';
  const wasRunning = useRef(running);
  useLayoutEffect(() => {
    if (running && !wasRunning.current) cancelButton.current?.focus();
    if (!running && wasRunning.current) startButton.current?.focus();
    wasRunning.current = running;
  }, [running]);

  return (
    <section className="screen verify" aria-labelledby="verify-title">
      <header className="screen-header">
        <div className="grow">
          <h1 id="verify-title">{t('title')}</h1>
          <p className="screen-sub muted">{t('lead')}</p>
        </div>
      </header>

      <div className="verify-body">
        <div className="card verify-section">
          <div className="row verify-status" data-testid="verify-last">
            <Icon name="shield" />
            <div className="grow">
              {statusError ? (
                <span className="field-error">{statusError}</span>
              ) : status === null ? (
                <span className="spinner" />
              ) : status.last === null ? (
                <span>{t('never')}</span>
              ) : (
                <span>
                  {t(status.last.ok ? 'lastOk' : 'lastProblems', { date: formatDateTime(status.last.at) })}
                  {!status.last.ok && ` ${t('lastCounts', { changed: formatNumber(status.last.changed), missing: formatNumber(status.last.missing), untracked: formatNumber(status.last.untracked), custody: formatNumber(status.last.custodyProblems) })}`}
                </span>
              )}
              {status && (
                <div className="faint">
                  {t('scheduleLine', { every: t(`every.${status.every}`) })} <a href={routeHash({ name: 'settings' })}>{t('changeSchedule')}</a>
                </div>
              )}
            </div>
            {running ? (
              <button ref={cancelButton} type="button" className="btn btn-danger" onClick={cancelVerify} data-testid="verify-cancel">
                {t('cancel')}
              </button>
            ) : (
              <button ref={startButton} type="button" className="btn btn-primary" onClick={() => startVerify(false)} data-testid="verify-start">
                {run.state === 'idle' ? t('start') : t('again')}
              </button>
            )}
          </div>
          {run.state === 'running' && <VerifyProgress progress={run.progress} background={run.background} />}
          {run.state === 'cancelled' && (
            <p className="notice" role="status" data-testid="verify-cancelled">
              {t('cancelled')}
            </p>
          )}
          {run.state === 'failed' && (
            <p className="error-box" role="alert" data-testid="verify-failed">
              {run.message}
            </p>
          )}
        </div>

        {run.state === 'done' && <VerifyReportView report={run.report} />}
      </div>
    </section>
  );
}

function VerifyProgress({ progress, background }: { progress: VerifyProgressEvent | null; background: boolean }) {
  const { t } = useTranslation('verify');
  const filesPhase = progress === null || progress.phase === 'files';
  return (
    <div className="verify-progress" data-testid="verify-progress">
      <p aria-live="polite">
        {background && `${t('scheduledRun')} `}
        {progress === null
          ? t('starting')
          : filesPhase
            ? t('progressFiles', {
                done: formatNumber(progress.done),
                total: formatNumber(progress.total),
                bytes: formatBytes(progress.bytes),
                totalBytes: formatBytes(progress.totalBytes),
              })
            : t(`phase.${progress.phase}`)}
      </p>
      {/* Bytes measure the work better than files: one video outweighs a thousand articles. */}
      {progress !== null && filesPhase && progress.totalBytes > 0 ? (
        <progress className="progress" max={progress.totalBytes} value={Math.min(progress.bytes, progress.totalBytes)} aria-label={t('progressLabel')} />
      ) : (
        <progress className="progress" aria-label={t('progressLabel')} />
      )}
    </div>
  );
}
