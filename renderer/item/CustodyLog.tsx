// The item's chain of custody: every import, edit, tag and deletion, oldest first, each entry
// hash-chained to the one before it (shown so an archivist can compare it with a bundle's).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustodyEvent } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { formatDateTime } from '../format.ts';
import { CustodyReportDialog } from '../verify/CustodyReportDialog.tsx';
import { FileName } from './FileName.tsx';

function summary(event: CustodyEvent): string {
  const d = event.details as Record<string, unknown>;
  if (event.action === 'edit' && d.changes && typeof d.changes === 'object') return Object.keys(d.changes as object).join(', ');
  if ((event.action === 'link' || event.action === 'unlink') && typeof d.relation === 'string') {
    const other = [d.to, d.from].find((v) => typeof v === 'string' && v !== event.itemId) as string | undefined;
    return other ? `${d.relation} · ${other.slice(0, 10)}…` : d.relation;
  }
  for (const key of ['tag', 'tags', 'collection', 'name', 'relation', 'source', 'path', 'file', 'title']) {
    const v = d[key];
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) return v.map(String).join(', ');
  }
  return '';
}

export function CustodyLog({ itemId, revision }: { itemId: string; revision: string }) {
  const { t } = useTranslation('item');
  const [events, setEvents] = useState<CustodyEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reportOpen, setReportOpen] = useState(false);
  const { t: tv } = useTranslation('verify');

  useEffect(() => {
    let live = true;
    api.call('items.history', { id: itemId }).then(
      (v) => live && setEvents(v),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [itemId, revision]);

  if (error) return <div className="error-box">{error}</div>;
  if (!events) return <span className="spinner" />;
  return (
    <div className="custody">
      <div className="row">
        <h2 className="grow">{t('custody')}</h2>
        <button type="button" className="btn btn-small" onClick={() => setReportOpen(true)} data-testid="custody-report-open">
          {tv('report.action')}
        </button>
      </div>
      <p className="faint">{t('custodyHint')}</p>
      <CustodyReportDialog itemId={itemId} open={reportOpen} onClose={() => setReportOpen(false)} />
      <ol className="custody-list">
        {events.map((e) => (
          <li key={e.seq} className="custody-row">
            <span className="custody-dot" aria-hidden="true" />
            <div className="grow">
              <div className="row">
                <strong>{t(`actions.${e.action}`, { defaultValue: e.action })}</strong>
                <span className="grow" />
                <time className="faint" dateTime={e.at}>
                  {formatDateTime(e.at)}
                </time>
              </div>
              {summary(e) && (
                <div className="muted truncate bidi-plain">
                  {/* Names here (files, tags, collections) may come from a bundle made elsewhere. */}
                  <FileName name={summary(e)} />
                </div>
              )}
              <div className="mono faint custody-hash" dir="ltr" title={e.hash}>
                #{e.seq} · {e.hash.slice(0, 16)}
              </div>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}
