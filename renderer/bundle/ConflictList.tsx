// Conflicts a bundle import left: an item changed here and there (or there only, after we shared
// it) is kept twice, ours and theirs, until someone chooses. Each conflict opens to a side-by-side
// view of the fields that differ; the choice is keep ours, keep theirs, or keep both. Nothing is
// deleted: the version not kept goes to the trash.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConflictRecord } from '../../shared/api.ts';
import type { Item } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { diffItems, type FieldDiff } from './diff.ts';

export interface ConflictListProps {
  /** Only the conflicts this bundle brought; all open ones when absent. */
  readonly bundleId?: string;
  readonly onResolved?: () => void;
}

export function ConflictList({ bundleId, onResolved }: ConflictListProps) {
  const { t } = useTranslation('bundle');
  const [conflicts, setConflicts] = useState<readonly ConflictRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.call('conflicts.list', { includeResolved: true }).then(
      (all) => setConflicts(all.filter((c) => (bundleId ? c.bundleId === bundleId : c.resolvedAt === null))),
      (err: unknown) => setError(errorMessage(err)),
    );
  }, [bundleId]);
  useEffect(load, [load]);

  if (error) {
    return (
      <p className="error-box" role="alert">
        {error}
      </p>
    );
  }
  if (conflicts === null) return <p className="muted">{t('conflicts.loading')}</p>;
  if (conflicts.length === 0) return null;
  const open = conflicts.filter((c) => c.resolvedAt === null).length;
  return (
    <section className="conflicts" aria-labelledby="conflicts-title" data-testid="conflicts">
      <h3 id="conflicts-title">{t('conflicts.title', { count: open })}</h3>
      <p className="muted">{t('conflicts.intro')}</p>
      <ul className="conflict-list">
        {conflicts.map((c) => (
          <ConflictRow
            key={c.id}
            conflict={c}
            onResolved={(updated) => {
              setConflicts((all) => all?.map((x) => (x.id === updated.id ? updated : x)) ?? null);
              onResolved?.();
            }}
          />
        ))}
      </ul>
    </section>
  );
}

function ConflictRow({ conflict, onResolved }: { conflict: ConflictRecord; onResolved: (c: ConflictRecord) => void }) {
  const { t } = useTranslation('bundle');
  const [expanded, setExpanded] = useState(false);
  const [diff, setDiff] = useState<FieldDiff[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!expanded || diff !== null) return;
    let live = true;
    Promise.all([api.call('items.get', { id: conflict.localItemId }), api.call('items.get', { id: conflict.incomingItemId })]).then(
      ([local, incoming]: [Item, Item]) => {
        if (live) setDiff(diffItems(local, incoming));
      },
      (err: unknown) => {
        if (live) setError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [expanded, diff, conflict.localItemId, conflict.incomingItemId]);

  const resolve = async (keep: 'local' | 'incoming' | 'both') => {
    setBusy(true);
    setError(null);
    try {
      onResolved(await api.call('conflicts.resolve', { id: conflict.id, keep }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const resolved = conflict.resolvedAt !== null;
  return (
    <li className={`conflict${resolved ? ' is-resolved' : ''}`} data-testid="conflict">
      <div className="conflict-head">
        <bdi className="conflict-title">{conflict.localTitle}</bdi>
        <span className="faint">{t(`conflicts.reason.${conflict.reason}`)}</span>
      </div>
      {resolved ? (
        <p className="conflict-resolved">{t(`conflicts.resolved.${conflict.resolution ?? 'both'}`)}</p>
      ) : (
        <>
          <div className="row conflict-actions">
            <button type="button" className="btn btn-small btn-ghost" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
              {expanded ? t('conflicts.hide') : t('conflicts.compare')}
            </button>
            <span className="grow" />
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void resolve('local')} data-testid="conflict-keep-local">
              {t('conflicts.keepLocal')}
            </button>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void resolve('incoming')} data-testid="conflict-keep-incoming">
              {t('conflicts.keepIncoming')}
            </button>
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void resolve('both')} data-testid="conflict-keep-both">
              {t('conflicts.keepBoth')}
            </button>
          </div>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          {expanded && diff === null && !error && <p className="muted">{t('conflicts.loading')}</p>}
          {expanded && diff !== null && <DiffTable diff={diff} />}
        </>
      )}
    </li>
  );
}

function DiffTable({ diff }: { diff: readonly FieldDiff[] }) {
  const { t } = useTranslation('bundle');
  if (diff.length === 0) return <p className="muted">{t('conflicts.noDifference')}</p>;
  return (
    <table className="conflict-diff" data-testid="conflict-diff">
      <thead>
        <tr>
          <th scope="col">{t('conflicts.field')}</th>
          <th scope="col">{t('conflicts.local')}</th>
          <th scope="col">{t('conflicts.incoming')}</th>
        </tr>
      </thead>
      <tbody>
        {diff.map((d) => (
          <tr key={d.field}>
            <th scope="row">{t(`field.${d.field}`, { defaultValue: d.field })}</th>
            {d.hidden ? (
              <td colSpan={2} className="faint">
                {t('conflicts.protectedDiffers')}
              </td>
            ) : (
              <>
                <td dir="auto">{clip(d.local) || <span className="faint">{t('conflicts.empty')}</span>}</td>
                <td dir="auto">{clip(d.incoming) || <span className="faint">{t('conflicts.empty')}</span>}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Long texts (a transcript, an article) are cut for the table: the item view shows them whole. */
function clip(text: string): string {
  const chars = Array.from(text);
  return chars.length > 600 ? `${chars.slice(0, 600).join('')}…` : text;
}
