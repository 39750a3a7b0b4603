// The scheduled verification: at launch, if verify.status says one is due, it runs in the
// background (the app stays usable), and its result comes as a notice that links to the Verify
// screen. The notice stays until it is dismissed or the result is seen there: a damaged file is
// not news that should fade away on a timer.
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { formatNumber } from '../format.ts';
import { routeHash } from '../route.ts';
import { markSeen, startVerify, useVerifyRun, verifyRun } from './runner.ts';
import './verify.css';

/** Starts the scheduled verification if one is due. Call once, at launch. */
export function useScheduledVerify(): void {
  useEffect(() => {
    let live = true;
    api.call('verify.status', {}).then(
      (status) => {
        if (live && status.due && verifyRun().state === 'idle') startVerify(true);
      },
      // No status (an older engine, a broken archive): the schedule waits for the next launch.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
}

export function VerifyNotice({ hidden }: { hidden: boolean }) {
  const { t } = useTranslation('verify');
  const run = useVerifyRun();
  if (hidden || (run.state !== 'done' && run.state !== 'failed') || run.seen) return null;

  let message: string;
  let ok = false;
  if (run.state === 'failed') message = t('notice.failed', { message: run.message });
  else if (run.report.ok) {
    ok = true;
    message = t('notice.intact', { files: formatNumber(run.report.files) });
  } else {
    const r = run.report;
    message = t('notice.problems', {
      count: r.changed.length + r.missing.length + r.untracked.length + r.custody.problems.length,
    });
  }
  const title = run.background ? t('notice.scheduled') : t('notice.manual');

  return (
    <div className={`verify-notice ${ok ? 'check-ok' : 'error-box'}`} role="status" data-testid="verify-notice">
      <Icon name={ok ? 'shield' : 'alert'} />
      <span className="grow">
        <strong>{title}</strong> {message}
      </span>
      <a className="btn btn-small" href={routeHash({ name: 'verify' })} data-testid="verify-notice-open">
        {t('notice.open')}
      </a>
      <button type="button" className="btn btn-small btn-ghost" onClick={markSeen} aria-label={t('notice.dismiss')}>
        <Icon name="close" size={16} />
      </button>
    </div>
  );
}
