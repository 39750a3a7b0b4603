// The sidebar: where to go (library, search, trash, settings), what to add, and the archive's
// collections and tags as one-click filters of the library.
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArchiveInfo, LabelCount } from '../../shared/api.ts';
import { api } from '../api.ts';
import type { ShellActions } from '../App.tsx';
import { formatNumber } from '../format.ts';
import { afterLaunch } from '../launch.ts';
import type { Route } from '../route.ts';
import type { LibraryFilters } from '../library/query.ts';
import { useVerifyRun } from '../verify/runner.ts';
import { Icon, type IconName } from './Icon.tsx';

export interface SidebarProps {
  route: Route;
  navigate: (route: Route) => void;
  filters: LibraryFilters;
  onFilter: (next: LibraryFilters) => void;
  revision: number;
  info: ArchiveInfo | null;
  actions: ShellActions;
  onQuickSwitcher: () => void;
}

const TAGS_SHOWN = 12;

export function Sidebar({ route, navigate, filters, onFilter, revision, info, actions, onQuickSwitcher }: SidebarProps) {
  const { t } = useTranslation('common');
  const { t: tv } = useTranslation('verify');
  const verifying = useVerifyRun().state === 'running';
  const [tags, setTags] = useState<LabelCount[]>([]);
  const [collections, setCollections] = useState<(LabelCount & { description: string })[]>([]);
  const [allTags, setAllTags] = useState(false);
  const [tagFilter, setTagFilter] = useState('');

  useEffect(() => {
    let live = true;
    // The lists are a convenience: if they cannot load, the library still works without them.
    const load = () => {
      if (!live) return;
      api.call('labels.tags', {}).then((v) => live && setTags([...v].sort((a, b) => b.count - a.count)), () => undefined);
      api.call('labels.collections', {}).then((v) => live && setCollections(v), () => undefined);
    };
    // At launch, after the first screen is drawn: its calls and its rendering go first.
    if (revision === 0) void afterLaunch().then(load);
    else load();
    return () => {
      live = false;
    };
  }, [revision]);

  const shownTags = useMemo(() => {
    const needle = tagFilter.trim().toLocaleLowerCase();
    const matching = needle ? tags.filter((tag) => tag.name.toLocaleLowerCase().includes(needle)) : tags;
    return allTags || needle ? matching : matching.slice(0, TAGS_SHOWN);
  }, [tags, allTags, tagFilter]);

  const inLibrary = route.name === 'library';
  const noLabelFilter = filters.tag === undefined && filters.collection === undefined;

  const nav = (name: 'library' | 'search' | 'trash' | 'verify' | 'settings', icon: IconName, label: string, count?: number, busy?: boolean) => {
    const current = route.name === name && (name !== 'library' || noLabelFilter);
    return (
      <li>
        <a
          href={`#/${name}`}
          className={`nav-link${current ? ' is-current' : ''}`}
          aria-current={current ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            if (name === 'library') onFilter({ ...filters, tag: undefined, collection: undefined });
            else navigate({ name });
          }}
        >
          <Icon name={icon} />
          <span className="grow truncate">{label}</span>
          {count !== undefined && count > 0 && <span className="nav-count">{formatNumber(count)}</span>}
          {busy && <span className="spinner nav-spinner" role="img" aria-label={tv('running')} />}
        </a>
      </li>
    );
  };

  return (
    <nav className="sidebar" aria-label={t('navigation')}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          سجل
        </span>
        <span className="brand-name">{t('appName')}</span>
      </div>

      <button type="button" className="quick-open" onClick={onQuickSwitcher}>
        <Icon name="search" size={16} />
        <span className="grow">{t('quickOpen')}</span>
        <span className="kbd">Ctrl K</span>
      </button>

      <ul className="nav-list">
        {nav('library', 'library', t('nav.library'), info?.items)}
        {nav('search', 'search', t('nav.search'))}
        {nav('trash', 'trash', t('nav.trash'), info?.trash)}
        {nav('verify', 'shield', tv('nav'), undefined, verifying)}
        {nav('settings', 'settings', t('nav.settings'))}
      </ul>

      <h2 className="nav-heading">{t('nav.add')}</h2>
      <ul className="nav-list">
        <li>
          <button type="button" className="nav-link" onClick={() => actions.openImport()}>
            <Icon name="upload" />
            <span>{t('nav.importFiles')}</span>
          </button>
        </li>
        <li>
          <button type="button" className="nav-link" onClick={actions.openNewTestimony}>
            <Icon name="mic" />
            <span>{t('nav.newTestimony')}</span>
          </button>
        </li>
        <li>
          <button type="button" className="nav-link" onClick={actions.openNewNote}>
            <Icon name="note" />
            <span>{t('nav.newNote')}</span>
          </button>
        </li>
        <li>
          <button type="button" className="nav-link" onClick={actions.openImportBundle}>
            <Icon name="package" />
            <span>{t('nav.openBundle')}</span>
          </button>
        </li>
      </ul>

      <h2 className="nav-heading">{t('nav.collections')}</h2>
      {collections.length === 0 ? (
        <p className="nav-empty">{t('nav.noCollections')}</p>
      ) : (
        <ul className="nav-list">
          {collections.map((c) => {
            const current = inLibrary && filters.collection === c.name;
            return (
              <li key={c.name}>
                <button
                  type="button"
                  className={`nav-link${current ? ' is-current' : ''}`}
                  aria-pressed={current}
                  title={c.description || c.name}
                  onClick={() => onFilter({ ...filters, collection: current ? undefined : c.name })}
                >
                  <Icon name="folder" />
                  <span className="grow truncate">
                    {c.name}
                  </span>
                  <span className="nav-count">{formatNumber(c.count)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}

      <h2 className="nav-heading">{t('nav.tags')}</h2>
      {tags.length > TAGS_SHOWN && (
        <input
          className="input nav-filter"
          type="search"
          value={tagFilter}
          onChange={(e) => setTagFilter(e.target.value)}
          placeholder={t('nav.filterTags')}
          aria-label={t('nav.filterTags')}
        />
      )}
      {tags.length === 0 ? (
        <p className="nav-empty">{t('nav.noTags')}</p>
      ) : (
        <ul className="nav-list nav-tags">
          {shownTags.map((tag) => {
            const current = inLibrary && filters.tag === tag.name;
            return (
              <li key={tag.name}>
                <button
                  type="button"
                  className={`nav-link${current ? ' is-current' : ''}`}
                  aria-pressed={current}
                  onClick={() => onFilter({ ...filters, tag: current ? undefined : tag.name })}
                >
                  <Icon name="tag" size={16} />
                  <span className="grow truncate">
                    {tag.name}
                  </span>
                  <span className="nav-count">{formatNumber(tag.count)}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {tags.length > TAGS_SHOWN && !tagFilter && (
        <button type="button" className="btn btn-ghost btn-small nav-more" onClick={() => setAllTags((v) => !v)}>
          {allTags ? t('nav.fewerTags') : t('nav.allTags', { n: formatNumber(tags.length) })}
        </button>
      )}
    </nav>
  );
}
