// The first thing a new archive shows: what Sijil is for, and three ways to begin, one of them the
// demo archive (the running example of the design: articles on Dhi Qar and a mother's appeal).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import type { ShellActions } from '../App.tsx';
import { Icon, type IconName } from '../components/Icon.tsx';
import { errorMessage } from '../errors.ts';

export function FirstRun({ actions }: { actions: ShellActions }) {
  const { t } = useTranslation('common');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const loadSample = async () => {
    setLoading(true);
    setError(null);
    try {
      await api.call('archive.loadSample', {});
      actions.changed();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  };

  const point = (icon: IconName, title: string, text: string) => (
    <li className="first-run-point">
      <span className="first-run-icon">
        <Icon name={icon} size={20} />
      </span>
      <div>
        <h3>{title}</h3>
        <p className="muted">{text}</p>
      </div>
    </li>
  );

  return (
    <section className="screen first-run" aria-labelledby="first-run-title">
      <div className="first-run-card card">
        <p className="first-run-mark" aria-hidden="true">
          سجل
        </p>
        <h1 id="first-run-title">{t('firstRun.title')}</h1>
        <p className="first-run-lead">{t('firstRun.lead')}</p>
        <ul className="first-run-points">
          {point('library', t('firstRun.keepTitle'), t('firstRun.keepText'))}
          {point('search', t('firstRun.searchTitle'), t('firstRun.searchText'))}
          {point('shield', t('firstRun.shareTitle'), t('firstRun.shareText'))}
        </ul>
        {error && (
          <div className="error-box" role="alert">
            {error}
          </div>
        )}
        <div className="first-run-actions">
          <button type="button" className="btn btn-primary" onClick={() => void loadSample()} disabled={loading}>
            {loading ? <span className="spinner" /> : <Icon name="library" size={16} />}
            {loading ? t('firstRun.loadingSample') : t('firstRun.openSample')}
          </button>
          <button type="button" className="btn" onClick={() => actions.openImport()} disabled={loading}>
            <Icon name="upload" size={16} />
            {t('firstRun.import')}
          </button>
          <button type="button" className="btn" onClick={actions.openNewTestimony} disabled={loading}>
            <Icon name="mic" size={16} />
            {t('firstRun.testimony')}
          </button>
        </div>
        <p className="faint first-run-foot">{t('firstRun.offline')}</p>
      </div>
    </section>
  );
}
