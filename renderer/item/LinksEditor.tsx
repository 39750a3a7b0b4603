// Links between items ("this article reports on that testimony"): follow, remove, or add one by
// searching the archive for the other item.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SearchHit } from '../../shared/api.ts';
import type { Item, LinkRecord } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { Icon, KindIcon } from '../components/Icon.tsx';
import { Modal } from '../components/Modal.tsx';
import { useRemovalFocus } from '../components/useRemovalFocus.ts';
import { errorMessage } from '../errors.ts';
import { formatDate, formatNumber } from '../format.ts';

const RELATIONS = ['related', 'reports-on', 'mentions', 'same-event', 'translation-of', 'source-of'] as const;

const linkKey = (link: LinkRecord) => `${link.direction}-${link.itemId}-${link.relation}`;

export function LinksEditor({ item, onChanged, onOpenItem }: { item: Item; onChanged: (item: Item) => void; onOpenItem: (id: string) => void }) {
  const { t } = useTranslation('item');
  const [picking, setPicking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const focus = useRemovalFocus(item.links.map(linkKey));

  const remove = async (link: LinkRecord) => {
    setError(null);
    const settled = focus.removing(linkKey(link));
    try {
      const args =
        link.direction === 'out'
          ? { from: item.id, to: link.itemId, relation: link.relation, remove: true }
          : { from: link.itemId, to: item.id, relation: link.relation, remove: true };
      const updated = await api.call('items.link', args);
      // Removing an incoming link returns the other item; reload this one.
      onChanged(updated.id === item.id ? updated : await api.call('items.get', { id: item.id }));
      settled(true);
    } catch (err) {
      settled(false);
      setError(errorMessage(err));
    }
  };

  const relationLabel = (relation: string) => ((RELATIONS as readonly string[]).includes(relation) ? t(`relations.${relation}`) : relation);

  return (
    <div className="links">
      <div className="row section-head">
        <h2 className="grow">{t('links')}</h2>
        {item.deletedAt === null && (
          <button type="button" className="btn btn-small" ref={(el) => void (focus.fallback.current = el)} onClick={() => setPicking(true)}>
            <Icon name="link" size={16} />
            {t('addLink')}
          </button>
        )}
      </div>
      {item.links.length === 0 ? (
        <p className="faint">{t('noLinks')}</p>
      ) : (
        <ul className="link-list" ref={(el) => void (focus.list.current = el)}>
          {item.links.map((link) => (
            <li key={linkKey(link)} className="link-row">
              <KindIcon kind={link.kind} size={16} />
              <div className="grow">
                <span className="link-relation">
                  {link.direction === 'out' ? relationLabel(link.relation) : t('linkedFrom', { relation: relationLabel(link.relation) })}
                </span>
                <button type="button" className="link-title" onClick={() => onOpenItem(link.itemId)}>
                  {link.title}
                </button>
              </div>
              {item.deletedAt === null && (
                <button type="button" className="btn btn-ghost btn-icon btn-small" aria-label={t('removeLink', { title: link.title })} data-remove onClick={() => void remove(link)}>
                  <Icon name="close" size={14} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      <LinkPicker
        open={picking}
        item={item}
        onClose={() => setPicking(false)}
        onLinked={(updated) => {
          setPicking(false);
          onChanged(updated);
        }}
      />
    </div>
  );
}

function LinkPicker({ open, item, onClose, onLinked }: { open: boolean; item: Item; onClose: () => void; onLinked: (item: Item) => void }) {
  const { t } = useTranslation('item');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<readonly SearchHit[]>([]);
  const [relation, setRelation] = useState('related');
  const [error, setError] = useState<string | null>(null);
  const [searching, setSearching] = useState(false);
  const relId = useId();
  const queryId = useId();

  useEffect(() => {
    if (!open) {
      setQuery('');
      setHits([]);
      setError(null);
      return;
    }
    const q = query.trim();
    if (!q) {
      setHits([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      setSearching(true);
      api.call('search.query', { query: q, limit: 12 }).then(
        (r) => {
          if (!live) return;
          setHits(r.hits.filter((h) => h.id !== item.id));
          setError(null);
          setSearching(false);
        },
        (err: unknown) => {
          if (!live) return;
          setError(errorMessage(err));
          setSearching(false);
        },
      );
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [open, query, item.id]);

  const link = async (hit: SearchHit) => {
    setError(null);
    try {
      onLinked(await api.call('items.link', { from: item.id, to: hit.id, relation: relation.trim() || 'related' }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Modal open={open} onClose={onClose} title={t('linkTitle')} wide>
      <div className="row link-picker-controls">
        <div className="field grow">
          <label htmlFor={queryId}>{t('linkSearch')}</label>
          <input id={queryId} className="input" type="text" enterKeyHint="search" value={query} onChange={(e) => setQuery(e.target.value)} data-autofocus dir="auto" />
        </div>
        <div className="field">
          <label htmlFor={relId}>{t('relation')}</label>
          <select id={relId} className="select" value={relation} onChange={(e) => setRelation(e.target.value)}>
            {RELATIONS.map((r) => (
              <option key={r} value={r}>
                {t(`relations.${r}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
      {searching && hits.length === 0 && <span className="spinner" />}
      {query.trim() && !searching && hits.length === 0 && !error && <p className="muted">{t('linkNone')}</p>}
      {/* What the search found, said once it has: the list below changes without a word otherwise. */}
      <p className="visually-hidden" role="status">
        {query.trim() && !searching && !error ? t('linkFound', { count: hits.length, formatted: formatNumber(hits.length) }) : ''}
      </p>
      <ul className="pick-list">
        {hits.map((hit) => (
          <li key={hit.id}>
            <button type="button" className="pick-row" onClick={() => void link(hit)}>
              <KindIcon kind={hit.kind} size={16} />
              <span className="grow truncate">
                {hit.title}
              </span>
              {hit.date && <span className="faint">{formatDate(hit.date)}</span>}
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
