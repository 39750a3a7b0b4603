// The item's chain of custody: every import, edit, tag and deletion, oldest first, each entry
// hash-chained to the one before it (shown so an archivist can compare it with a bundle's).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustodyEvent, ReceivedCustodyEvent } from '../../shared/domain.ts';
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

function CustodyRow({ event, from }: { event: CustodyEvent; from?: string }) {
  const { t } = useTranslation('item');
  const said = summary(event);
  return (
    <li className="custody-row">
      <span className="custody-dot" aria-hidden="true" />
      <div className="grow">
        <div className="row">
          <strong>{t(`actions.${event.action}`, { defaultValue: event.action })}</strong>
          <span className="grow" />
          <time className="faint" dateTime={event.at}>
            {formatDateTime(event.at)}
          </time>
        </div>
        {said && (
          <div className="muted truncate bidi-plain">
            {/* Names here (files, tags, collections) may come from a bundle made elsewhere. */}
            <FileName name={said} />
          </div>
        )}
        <div className="mono faint custody-hash" dir="ltr" title={event.hash}>
          #{event.seq} · {event.hash.slice(0, 16)}
          {from !== undefined && ` · ${t('custodyFromBundle', { bundle: from.slice(0, 8) })}`}
        </div>
      </div>
    </li>
  );
}

export function CustodyLog({ itemId, revision }: { itemId: string; revision: string }) {
  const { t } = useTranslation('item');
  const [events, setEvents] = useState<CustodyEvent[] | null>(null);
  const [received, setReceived] = useState<ReceivedCustodyEvent[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reportOpen, setReportOpen] = useState(false);
  const { t: tv } = useTranslation('verify');

  useEffect(() => {
    let live = true;
    Promise.all([api.call('items.history', { id: itemId }), api.call('items.history.received', { id: itemId })]).then(
      ([own, earlier]) => {
        if (!live) return;
        setEvents(own);
        setReceived(earlier);
      },
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
      <ol className="custody-list" data-testid="custody-own">
        {events.map((e) => (
          <CustodyRow key={e.seq} event={e} />
        ))}
      </ol>
      {received.length > 0 && (
        <section aria-labelledby={`custody-received-${itemId}`} data-testid="custody-received">
          <h3 id={`custody-received-${itemId}`}>{t('custodyReceived')}</h3>
          <p className="faint">{t('custodyReceivedHint')}</p>
          <ol className="custody-list">
            {received.map((e) => (
              <CustodyRow key={`${e.bundleId}-${e.seq}-${e.hash}`} event={e} from={e.bundleId} />
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}
