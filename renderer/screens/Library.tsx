// The library: every item in a virtualised list or grid (only the rows on screen exist in the
// page, and only their pages are fetched), with sort, filters, and multi-select for tagging,
// collecting, exporting and moving to the trash.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BulkProgressEvent } from '../../shared/api.ts';
import type { ItemKind, ItemSummary } from '../../shared/domain.ts';
import { dateProblem, ITEM_KINDS, type DateProblem, type LabelKind, LIST_SORTS, type BulkAction, type ListSort } from '../../shared/vocabulary.ts';
import { api, ApiError, type CallOptions } from '../api.ts';
import type { ShellActions } from '../App.tsx';
import { Icon } from '../components/Icon.tsx';
import { LabelPrompt } from '../components/LabelPrompt.tsx';
import { CollectionDescription } from '../library/CollectionDescription.tsx';
import { useToast } from '../components/Toasts.tsx';
import { errorMessage } from '../errors.ts';
import { formatNumber } from '../format.ts';
import { ItemOption, optionId, type OptionLook } from '../library/ItemOption.tsx';
import { DEFAULT_FILTERS, libraryQuery, listFilters, type LibraryFilters } from '../library/query.ts';
import { usePagedItems } from '../library/usePagedItems.ts';
import { useStableHandler } from '../useStableHandler.ts';
import { isCommand } from '../shortcut.ts';

type View = 'list' | 'grid';
/** A tag or collection the library is filtered by. */
type LabelRef = { readonly kind: LabelKind; readonly name: string };
const VIEW_KEY = 'sijil.libraryView';
const ROW_HEIGHT = 48;
const CARD_MIN_WIDTH = 184;
const CARD_GAP = 14;
const CARD_HEIGHT = 212;

const BULK_PROGRESS_KEYS: Record<BulkAction, string> = { tag: 'tagging', collect: 'collecting', trash: 'trashing', restore: 'restoring' };

/** Where each list was left (scroll, focus, selection), for this session. */
const places = new Map<string, { offset: number; focus: number; anchor: number | null; selected: string[] }>();

function savedView(): View {
  try {
    return localStorage.getItem(VIEW_KEY) === 'grid' ? 'grid' : 'list';
  } catch {
    return 'list';
  }
}

/** Ids asked about at once when checking the selection (items.among takes up to 100,000). */
const AMONG_SLICE = 50_000;

export interface LibraryProps {
  filters: LibraryFilters;
  onFiltersChange: (filters: LibraryFilters) => void;
  trash: boolean;
  revision: number;
  actions: ShellActions;
}

export function Library({ filters, onFiltersChange, trash, revision, actions }: LibraryProps) {
  const { t } = useTranslation('library');
  const toast = useToast();
  const query = useMemo(() => libraryQuery(filters, trash), [trash, filters]);
  const items = usePagedItems(query, revision);
  const total = items.total ?? 0;

  const [view, setViewState] = useState<View>(savedView);
  const setView = (v: View) => {
    setViewState(v);
    try {
      localStorage.setItem(VIEW_KEY, v);
    } catch {
      // Not remembered; still switched.
    }
  };

  const queryKey = JSON.stringify(query);
  const saved = useRef(places.get(queryKey)).current;
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set(saved?.selected ?? []));
  const [anchor, setAnchor] = useState<number | null>(saved?.anchor ?? null);
  const [focus, setFocus] = useState(saved?.focus ?? 0);
  const [busy, setBusy] = useState<string | null>(null);
  const bulkCancel = useRef<AbortController | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [prompt, setPrompt] = useState<LabelKind | null>(null);
  const [renaming, setRenaming] = useState<LabelRef | null>(null);
  // A rename runs over every item that has the label (a cancel rolls all of it back).
  const [renameBusy, setRenameBusy] = useState<string | null>(null);
  const renameCancel = useRef<AbortController | null>(null);

  // A new filter is a new list: the old selection would be invisible, so it goes.
  const shownKey = useRef(queryKey);
  useEffect(() => {
    if (shownKey.current === queryKey) return;
    shownKey.current = queryKey;
    setSelected(new Set());
    setAnchor(null);
    setFocus(0);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [queryKey]);

  // Remember the place on the way out (to an item), so Back returns to the same rows.
  const offset = useRef(saved?.offset ?? 0);
  const latest = useRef({ queryKey, focus, anchor, selected });
  latest.current = { queryKey, focus, anchor, selected };
  useEffect(
    () => () => {
      const { queryKey: key, focus: f, anchor: a, selected: sel } = latest.current;
      places.set(key, { offset: offset.current, focus: f, anchor: a, selected: [...sel] });
    },
    [],
  );

  // The selection holds only items the list still shows. One trashed from its own screen, or
  // untagged while the list is filtered by that tag, would otherwise stay selected unseen, and the
  // next bulk action would change it (tag an item in the trash, say). Asked when the library comes
  // back with a remembered selection and after every change to the archive.
  const selectionAsked = useRef(0);
  useEffect(() => {
    const chosen = [...latest.current.selected];
    if (chosen.length === 0) return;
    const asked = ++selectionAsked.current;
    // In slices the contract takes (a selection of a whole large archive can exceed one).
    const slices: Promise<{ ids: string[] }>[] = [];
    for (let i = 0; i < chosen.length; i += AMONG_SLICE) slices.push(api.call('items.among', { ...listFilters(query), ids: chosen.slice(i, i + AMONG_SLICE) }));
    Promise.all(slices).then(
      (answers) => {
        const ids = answers.flatMap((a) => a.ids);
        if (asked !== selectionAsked.current || ids.length === chosen.length) return;
        const kept = new Set(ids);
        const checked = new Set(chosen);
        // Rows chosen while the question was out were not asked about; they stay.
        setSelected((prev) => new Set([...prev].filter((id) => kept.has(id) || !checked.has(id))));
      },
      () => undefined,
    );
  }, [revision, query]);

  const scrollRef = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(800);
  // A callback ref: the list element comes and goes (the empty state replaces it), and each new
  // one must be measured for the grid's column count.
  const observer = useRef<ResizeObserver | null>(null);
  const setScrollElement = useCallback((el: HTMLDivElement | null) => {
    scrollRef.current = el;
    observer.current?.disconnect();
    observer.current = null;
    if (!el) return;
    observer.current = new ResizeObserver(([entry]) => entry && setWidth(entry.contentRect.width));
    observer.current.observe(el);
  }, []);

  const columns = view === 'grid' ? Math.max(1, Math.floor((width + CARD_GAP) / (CARD_MIN_WIDTH + CARD_GAP))) : 1;
  const rowCount = Math.ceil(total / columns);
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => (view === 'grid' ? CARD_HEIGHT : ROW_HEIGHT),
    overscan: view === 'grid' ? 3 : 10,
    // A first guess at the list's box (the window's height): the first render draws a screenful
    // without reading the list's size in React's commit, which forces a layout of the whole page
    // at launch; the observer corrects it a frame later.
    initialRect: { width: 0, height: typeof window === 'undefined' ? 800 : window.innerHeight },
  });
  useEffect(() => virtualizer.measure(), [view, columns, virtualizer]);
  // Back from an item by keyboard: the arrows go on working where they left off.
  const hasRows = total > 0;
  useEffect(() => {
    if (hasRows && (document.activeElement === null || document.activeElement === document.body)) scrollRef.current?.focus({ preventScroll: true });
  }, [hasRows]);
  // The place and the keys pressed early (below) are applied as the count is committed, in layout
  // effects: a passive effect runs later, and a key pressed in between (End, as the list came
  // back) moved the list first and was then undone by the restore.
  const restored = useRef(saved === undefined);
  useLayoutEffect(() => {
    if (restored.current || total === 0) return;
    restored.current = true;
    virtualizer.scrollToOffset(saved?.offset ?? 0);
  }, [total, virtualizer, saved]);

  const virtualRows = virtualizer.getVirtualItems();
  const firstIndex = (virtualRows[0]?.index ?? 0) * columns;
  const lastIndex = Math.min(total - 1, ((virtualRows[virtualRows.length - 1]?.index ?? 0) + 1) * columns - 1);
  const { want } = items;
  useEffect(() => {
    if (total > 0) want(firstIndex, Math.max(firstIndex, lastIndex));
  }, [firstIndex, lastIndex, total, want]);

  const moveFocus = useCallback(
    (index: number) => {
      const clamped = Math.max(0, Math.min(total - 1, index));
      setFocus(clamped);
      virtualizer.scrollToIndex(Math.floor(clamped / columns), { align: 'auto' });
    },
    [total, columns, virtualizer],
  );

  const selectRange = async (from: number, to: number, extend: boolean) => {
    const [a, b] = from <= to ? [from, to] : [to, from];
    const rows = await items.range(a, b);
    setSelected((prev) => {
      const next = new Set(extend ? prev : []);
      for (const row of rows) next.add(row.id);
      return next;
    });
  };

  const onRowClick = (index: number, item: ItemSummary | undefined, e: MouseEvent) => {
    if (!item) return;
    setFocus(index);
    if (e.shiftKey && anchor !== null) {
      void selectRange(anchor, index, e.ctrlKey || e.metaKey);
      return;
    }
    if (e.ctrlKey || e.metaKey) {
      toggle(item.id);
      setAnchor(index);
      return;
    }
    setSelected(new Set([item.id]));
    setAnchor(index);
  };

  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const selectAll = async () => {
    setBusy(t('selectingAll'));
    try {
      const all: string[] = [];
      // Large pages: selecting everything is one deliberate act, not scrolling.
      for (let offset = 0; offset < total; offset += 5000) {
        const rows = await api.call('items.list', { ...query, limit: 5000, offset });
        for (const row of rows) all.push(row.id);
      }
      setSelected(new Set(all));
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    } finally {
      setBusy(null);
    }
  };

  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / (view === 'grid' ? CARD_HEIGHT : ROW_HEIGHT)));

  /** Moves the focus as a navigation key does: with Shift it extends the selection, with Ctrl it leaves it alone. */
  const navigate = (next: number, keys: NavModifiers) => {
    const clamped = Math.max(0, Math.min(total - 1, next));
    moveFocus(clamped);
    if (keys.shift) void selectRange(anchor ?? focus, clamped, false);
    else if (!keys.ctrl) {
      setAnchor(clamped);
      const item = items.item(clamped);
      setSelected(item ? new Set([item.id]) : new Set());
      // A jump (End, PageDown) lands where no page is loaded yet: the item is selected when it
      // arrives, unless the focus has moved on by then.
      if (!item)
        items.range(clamped, clamped).then(
          ([row]) => row && latest.current.focus === clamped && setSelected(new Set([row.id])),
          () => undefined,
        );
    }
  };

  // Keys pressed before the list knows how many items it has (just opened, or a new filter):
  // End means the last item, which is not known yet. They wait, and take effect once it is.
  const pendingKeys = useRef<{ key: string; keys: NavModifiers }[]>([]);
  // Runs when the count arrives (its only dependency); focus, columns and the rest are read as they are then.
  useLayoutEffect(() => {
    if (items.total === null) return;
    const pending = pendingKeys.current;
    pendingKeys.current = [];
    if (items.total === 0 || pending.length === 0) return;
    const rtl = document.documentElement.dir === 'rtl';
    let at = focus;
    for (const { key } of pending) at = Math.max(0, Math.min(items.total - 1, navTarget(key, at, { total: items.total, columns, pageRows: pageRows(), grid: view === 'grid', rtl }) ?? at));
    navigate(at, pending[pending.length - 1]!.keys);
  }, [items.total]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const keys = { shift: e.shiftKey, ctrl: e.ctrlKey || e.metaKey };
    if (items.total === null) {
      if (NAV_KEYS.has(e.key)) {
        e.preventDefault();
        pendingKeys.current.push({ key: e.key, keys });
      }
      return;
    }
    if (total === 0) return;
    const next = navTarget(e.key, focus, { total, columns, pageRows: pageRows(), grid: view === 'grid', rtl: document.documentElement.dir === 'rtl' });
    if (next !== null) {
      e.preventDefault();
      navigate(next, keys);
      return;
    }
    switch (e.key) {
      case ' ': {
        e.preventDefault();
        const item = items.item(focus);
        if (item) toggle(item.id);
        setAnchor(focus);
        return;
      }
      case 'Enter': {
        const item = items.item(focus);
        if (item) actions.openItem(item.id);
        return;
      }
      case 'Delete':
        if (selected.size > 0 && !trash) void moveToTrash();
        return;
      case 'Escape':
        setSelected(new Set());
        return;
      default:
        if (isCommand(e, 'a')) {
          e.preventDefault();
          void selectAll();
        }
        return;
    }
  };

  // ---- bulk actions ---------------------------------------------------------------------------

  /**
   * One engine call that changes many items in one transaction (items.bulk, labels.rename): `show`
   * gives its count as it goes, and `cancelRef` lets Cancel reach it. The engine rolls the whole
   * change back on a cancel, or has finished it first: its answer says which, so the message never
   * claims the wrong one. Resolves null when it was cancelled or refused, a toast saying which.
   */
  const overItems = async <R,>(
    how: {
      start: string;
      progressKey: string;
      show: (text: string | null) => void;
      cancelRef: { current: AbortController | null };
      refused: (message: string) => string;
    },
    run: (options: CallOptions) => Promise<R>,
  ): Promise<R | null> => {
    how.show(how.start);
    const onProgress = (event: string, payload: unknown) => {
      if (event !== 'items.progress') return;
      const { done, total } = payload as BulkProgressEvent;
      how.show(t(how.progressKey, { done: formatNumber(done), total: formatNumber(total) }));
    };
    const cancel = new AbortController();
    how.cancelRef.current = cancel;
    try {
      return await run({ onProgress, signal: cancel.signal, awaitOutcome: true });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'cancelled') toast({ message: t('bulkCancelled') });
      else toast({ message: how.refused(errorMessage(err)), tone: 'error' });
      return null;
    } finally {
      how.cancelRef.current = null;
      how.show(null);
    }
  };

  /**
   * One call for the whole selection (items.bulk): all of it changes or none of it does. Resolves
   * to how many items the action now applies to, or null when nothing changed.
   */
  const runBulk = async (action: BulkAction, ids: readonly string[], name?: string): Promise<number | null> => {
    const result = await overItems(
      {
        start: t('bulkWorking', { count: ids.length, formatted: formatNumber(ids.length) }),
        progressKey: BULK_PROGRESS_KEYS[action],
        show: setBusy,
        cancelRef: bulkCancel,
        refused: (message) => t('bulkNothingChanged', { message }),
      },
      (options) => api.call('items.bulk', { ids: [...ids], action, name }, options),
    );
    setCancelling(false);
    actions.changed();
    // The bar's buttons gave way to the progress while it ran, and focus fell with them: it goes
    // to the list, where the selection is.
    if (document.activeElement === null || document.activeElement === document.body) scrollRef.current?.focus();
    return result && result.changed + result.unchanged;
  };

  const moveToTrash = async () => {
    const ids = [...selected];
    const done = await runBulk('trash', ids);
    if (done === null) return;
    setSelected(new Set());
    toast({
      message: t('trashed', { count: done, formatted: formatNumber(done) }),
      action: {
        label: t('undo'),
        run: () => void runBulk('restore', ids),
      },
    });
  };

  const restore = async () => {
    const done = await runBulk('restore', [...selected]);
    if (done === null) return;
    setSelected(new Set());
    toast({ message: t('restored', { count: done, formatted: formatNumber(done) }) });
  };

  const applyLabel = async (kind: LabelKind, name: string) => {
    setPrompt(null);
    const done = await runBulk(kind === 'tag' ? 'tag' : 'collect', [...selected], name);
    if (done !== null) toast({ message: t(kind === 'tag' ? 'tagged' : 'collected', { count: done, formatted: formatNumber(done), name }) });
  };

  // ---- rendering ------------------------------------------------------------------------------

  // The export button exports the whole archive or the collection shown, never the other filters:
  // when the list shows exactly that and it is empty, the export could only be refused at its end.
  const nothingToExport = items.total === 0 && !filters.kind && !filters.tag && !filters.from && !filters.to;

  // Filtered by one tag or one collection (whatever else): that label can be renamed from here.
  const shownLabel =
    !trash && Boolean(filters.tag) !== Boolean(filters.collection)
      ? filters.tag !== undefined
        ? ({ kind: 'tag', name: filters.tag } as const)
        : ({ kind: 'collection', name: filters.collection! } as const)
      : null;
  // Filtered by that label alone and empty: it may be unused, and can go. The engine checks again
  // (items in the trash keep it) and says why if it stays.
  const soleLabel = shownLabel && !filters.kind && !filters.from && !filters.to ? shownLabel : null;
  const removeLabel = async (label: LabelRef) => {
    try {
      const { removed } = await api.call('labels.remove', label);
      onFiltersChange({ ...filters, tag: undefined, collection: undefined });
      actions.changed();
      toast({ message: t(label.kind === 'tag' ? 'tagRemoved' : 'collectionRemoved', { name: removed }) });
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    }
  };

  const renameLabel = async (label: LabelRef, to: string) => {
    setRenaming(null);
    const r = await overItems(
      { start: t('renamingStart'), progressKey: 'renaming', show: setRenameBusy, cancelRef: renameCancel, refused: (message) => message },
      (options) => api.call('labels.rename', { kind: label.kind, name: label.name, to }, options),
    );
    if (r === null) return;
    onFiltersChange({ ...filters, [label.kind]: r.name });
    actions.changed();
    const key = `${label.kind}${r.merged ? 'Merged' : 'Renamed'}`;
    if (r.from !== r.name) toast({ message: t(key, { from: r.from, name: r.name, count: r.items, formatted: formatNumber(r.items) }) });
  };

  const title = trash ? t('trashTitle') : (filters.collection ?? (filters.tag ? `#${filters.tag}` : t('title')));
  const hasFilters = !trash && (filters.kind || filters.tag || filters.collection || filters.from || filters.to);
  const focusedId = total > 0 ? optionId(focus) : undefined;

  // Stable across renders, so that a scroll draws only the rows that came into view (ItemOption is memoised).
  const onToggle = useStableHandler((index: number, id: string) => {
    toggle(id);
    setAnchor(index);
    setFocus(index);
  });
  const onOptionClick = useStableHandler(onRowClick);
  const renderOption = (index: number, look: OptionLook) => {
    const item = items.item(index);
    return (
      <ItemOption
        key={index}
        look={look}
        index={index}
        item={item}
        total={total}
        selected={item ? selected.has(item.id) : false}
        focused={index === focus}
        onClick={onOptionClick}
        onOpen={actions.openItem}
        onToggle={onToggle}
      />
    );
  };

  return (
    <section className="screen library" aria-labelledby="library-title">
      <header className="screen-header">
        <div className="grow">
          <h1 id="library-title" className="bidi-plain">
            {title}
          </h1>
          <p className="muted screen-sub" aria-live="polite">
            {items.total === null ? t('loading') : t('count', { count: items.total, formatted: formatNumber(items.total) })}
          </p>
          {shownLabel?.kind === 'collection' && <CollectionDescription name={shownLabel.name} revision={revision} onChanged={actions.changed} />}
        </div>
        {!trash && (
          <div className="toolbar">
            {renameBusy ? (
              <span className="row muted" role="status">
                <span className="spinner" /> {renameBusy}
                <button type="button" className="btn btn-ghost btn-small" onClick={() => renameCancel.current?.abort()}>
                  {t('common:cancel')}
                </button>
              </span>
            ) : (
              shownLabel && (
                <button type="button" className="btn" onClick={() => setRenaming(shownLabel)}>
                  <Icon name="edit" size={16} />
                  {t(shownLabel.kind === 'tag' ? 'renameTag' : 'renameCollection')}
                </button>
              )
            )}
            <button type="button" className="btn" onClick={() => actions.openImport()}>
              <Icon name="upload" size={16} />
              {t('import')}
            </button>
            {!nothingToExport && (
              <button type="button" className="btn" onClick={() => actions.openExport(filters.collection ? { collection: filters.collection } : {})}>
                <Icon name="package" size={16} />
                {filters.collection ? t('exportCollection') : t('exportAll')}
              </button>
            )}
          </div>
        )}
      </header>

      {/* One slot for filters and selection actions: selecting never shifts the rows under the pointer. */}
      {selected.size === 0 && !trash && <FilterBar filters={filters} onChange={onFiltersChange} view={view} onView={setView} />}
      {selected.size === 0 && trash && <div className="filter-bar" />}

      {selected.size > 0 && (
        <div className="selection-bar" role="region" aria-label={t('selectionActions')}>
          <span className="selection-count">{t('selected', { count: selected.size, formatted: formatNumber(selected.size) })}</span>
          {busy ? (
            <span className="row muted">
              <span className="spinner" /> {busy}
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={cancelling}
                onClick={() => {
                  setCancelling(true);
                  bulkCancel.current?.abort();
                }}
              >
                {t('common:cancel')}
              </button>
            </span>
          ) : trash ? (
            <button type="button" className="btn btn-small" onClick={() => void restore()}>
              <Icon name="restore" size={16} />
              {t('restore')}
            </button>
          ) : (
            <>
              {selected.size === 1 && (
                <button type="button" className="btn btn-small" onClick={() => actions.openItem([...selected][0]!)}>
                  {t('open')}
                </button>
              )}
              <button type="button" className="btn btn-small" onClick={() => setPrompt('tag')}>
                <Icon name="tag" size={16} />
                {t('addTag')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => setPrompt('collection')}>
                <Icon name="folder" size={16} />
                {t('addToCollection')}
              </button>
              <button type="button" className="btn btn-small" onClick={() => actions.openExport({ ids: [...selected] })}>
                <Icon name="package" size={16} />
                {t('export')}
              </button>
              <button type="button" className="btn btn-small btn-danger" onClick={() => void moveToTrash()}>
                <Icon name="trash" size={16} />
                {t('moveToTrash')}
              </button>
            </>
          )}
          <span className="grow" />
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setSelected(new Set())}>
            {t('clearSelection')}
          </button>
        </div>
      )}

      {items.error && (
        <div className="error-box" role="alert">
          {items.error}
        </div>
      )}

      {items.total === 0 ? (
        <div className="empty-state">
          <Icon name={trash ? 'trash' : 'library'} size={40} />
          <h2>{trash ? t('trashEmpty') : hasFilters ? t('noMatches') : t('empty')}</h2>
          <p>{trash ? t('trashEmptyHint') : soleLabel ? t(soleLabel.kind === 'tag' ? 'noneTaggedHint' : 'noneInCollectionHint') : hasFilters ? t('noMatchesHint') : t('emptyHint')}</p>
          {hasFilters && (
            <div className="row">
              <button type="button" className="btn" onClick={() => onFiltersChange({ ...DEFAULT_FILTERS, sort: filters.sort, desc: filters.desc })}>
                {t('clearFilters')}
              </button>
              {soleLabel && (
                <button type="button" className="btn btn-ghost" onClick={() => void removeLabel(soleLabel)}>
                  {t(soleLabel.kind === 'tag' ? 'removeTag' : 'removeCollection', { name: soleLabel.name })}
                </button>
              )}
            </div>
          )}
        </div>
      ) : (
        <>
          {view === 'list' && (
            <div className="lib-head" aria-hidden="true">
              <span />
              <span />
              <span>{t('columns.title')}</span>
              <span>{t('columns.kind')}</span>
              <span>{t('columns.date')}</span>
              <span>{t('columns.tags')}</span>
            </div>
          )}
          <div
            ref={setScrollElement}
            className={`lib-scroll lib-${view}`}
            role="listbox"
            aria-multiselectable="true"
            aria-label={title}
            aria-activedescendant={focusedId}
            tabIndex={0}
            onKeyDown={onKeyDown}
            onScroll={(e) => (offset.current = e.currentTarget.scrollTop)}
          >
            <div className="lib-inner" style={{ blockSize: virtualizer.getTotalSize() }}>
              {virtualRows.map((row) => (
                <div
                  key={row.key}
                  className={view === 'grid' ? 'lib-grid-row' : 'lib-list-row'}
                  style={{
                    transform: `translateY(${row.start}px)`,
                    blockSize: row.size,
                    gridTemplateColumns: view === 'grid' ? `repeat(${columns}, minmax(0, 1fr))` : undefined,
                  }}
                  role="presentation"
                >
                  {view === 'grid'
                    ? Array.from({ length: columns }, (_, c) => row.index * columns + c)
                        .filter((i) => i < total)
                        .map((i) => renderOption(i, 'card'))
                    : renderOption(row.index, 'row')}
                </div>
              ))}
            </div>
          </div>
        </>
      )}

      <LabelPrompt
        open={prompt !== null}
        kind={prompt ?? 'tag'}
        title={t(prompt === 'collection' ? 'collectionPromptTitle' : 'tagPromptTitle', { count: selected.size, formatted: formatNumber(selected.size) })}
        action={t(prompt === 'collection' ? 'addToCollection' : 'addTag')}
        onClose={() => setPrompt(null)}
        onSubmit={(name) => void applyLabel(prompt ?? 'tag', name)}
      />
      <LabelPrompt
        open={renaming !== null}
        kind={renaming?.kind ?? 'tag'}
        title={t(renaming?.kind === 'collection' ? 'renameCollectionTitle' : 'renameTagTitle', { name: renaming?.name ?? '' })}
        action={t('rename')}
        initial={renaming?.name ?? ''}
        fieldLabel={t('newName')}
        note={t(renaming?.kind === 'collection' ? 'renameCollectionNote' : 'renameTagNote')}
        onClose={() => setRenaming(null)}
        onSubmit={(to) => renaming && void renameLabel(renaming, to)}
      />
    </section>
  );
}

// ---- keyboard -----------------------------------------------------------------------------------

interface NavModifiers {
  readonly shift: boolean;
  readonly ctrl: boolean;
}

const NAV_KEYS = new Set(['ArrowDown', 'ArrowUp', 'ArrowRight', 'ArrowLeft', 'PageDown', 'PageUp', 'Home', 'End']);

/** Where a navigation key moves the focus from `from` (unclamped), or null for any other key. */
function navTarget(key: string, from: number, at: { total: number; columns: number; pageRows: number; grid: boolean; rtl: boolean }): number | null {
  switch (key) {
    case 'ArrowDown':
      return from + at.columns;
    case 'ArrowUp':
      return from - at.columns;
    case 'ArrowRight':
      return at.grid ? from + (at.rtl ? -1 : 1) : null;
    case 'ArrowLeft':
      return at.grid ? from + (at.rtl ? 1 : -1) : null;
    case 'PageDown':
      return from + at.pageRows * at.columns;
    case 'PageUp':
      return from - at.pageRows * at.columns;
    case 'Home':
      return 0;
    case 'End':
      return at.total - 1;
    default:
      return null;
  }
}

// ---- filters ----------------------------------------------------------------------------------

function FilterBar({ filters, onChange, view, onView }: { filters: LibraryFilters; onChange: (f: LibraryFilters) => void; view: View; onView: (v: View) => void }) {
  const { t } = useTranslation('library');
  return (
    <div className="filter-bar toolbar">
      <label className="visually-hidden" htmlFor="lib-kind">
        {t('filterKind')}
      </label>
      <select
        id="lib-kind"
        className="select"
        value={filters.kind ?? ''}
        onChange={(e) => onChange({ ...filters, kind: (e.target.value || undefined) as ItemKind | undefined })}
      >
        <option value="">{t('allKinds')}</option>
        {ITEM_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`common:kindPlural.${k}`)}
          </option>
        ))}
      </select>
      <DateFilter label={t('from')} value={filters.from} onChange={(from) => onChange({ ...filters, from })} />
      <DateFilter label={t('to')} value={filters.to} onChange={(to) => onChange({ ...filters, to })} />
      {filters.tag && (
        <span className="chip chip-accent">
          <Icon name="tag" size={14} />
          <span className="chip-text" dir="auto" title={filters.tag}>
            {filters.tag}
          </span>
          <button type="button" aria-label={t('removeFilter', { name: filters.tag })} onClick={() => onChange({ ...filters, tag: undefined })}>
            <Icon name="close" size={14} />
          </button>
        </span>
      )}
      {filters.collection && (
        <span className="chip chip-accent">
          <Icon name="folder" size={14} />
          <span className="chip-text" dir="auto" title={filters.collection}>
            {filters.collection}
          </span>
          <button
            type="button"
            aria-label={t('removeFilter', { name: filters.collection })}
            onClick={() => onChange({ ...filters, collection: undefined })}
          >
            <Icon name="close" size={14} />
          </button>
        </span>
      )}
      <span className="grow" />
      <label className="visually-hidden" htmlFor="lib-sort">
        {t('sortBy')}
      </label>
      <select id="lib-sort" className="select" value={filters.sort} onChange={(e) => onChange({ ...filters, sort: e.target.value as ListSort })}>
        {LIST_SORTS.map((s) => (
          <option key={s} value={s}>
            {t(`sort.${s}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-icon"
        onClick={() => onChange({ ...filters, desc: !filters.desc })}
        aria-label={filters.desc ? t('descending') : t('ascending')}
        title={filters.desc ? t('descending') : t('ascending')}
      >
        <Icon name={filters.desc ? 'sortDesc' : 'sortAsc'} />
      </button>
      <div className="segmented" role="group" aria-label={t('viewAs')}>
        <button type="button" className="btn btn-icon" aria-pressed={view === 'list'} aria-label={t('viewList')} title={t('viewList')} onClick={() => onView('list')}>
          <Icon name="list" />
        </button>
        <button type="button" className="btn btn-icon" aria-pressed={view === 'grid'} aria-label={t('viewGrid')} title={t('viewGrid')} onClick={() => onView('grid')}>
          <Icon name="grid" />
        </button>
      </div>
    </div>
  );
}

/** A year, month or day ("2019", "2019-10", "2019-10-25"), applied when valid. */
function DateFilter({ label, value, onChange }: { label: string; value: string | undefined; onChange: (v: string | undefined) => void }) {
  const { t } = useTranslation('library');
  const [text, setText] = useState(value ?? '');
  const [problem, setProblem] = useState<DateProblem | null>(null);
  useEffect(() => setText(value ?? ''), [value]);
  const commit = () => {
    const trimmed = text.trim();
    if (trimmed === '') {
      setProblem(null);
      if (value !== undefined) onChange(undefined);
      return;
    }
    const found = dateProblem(trimmed);
    setProblem(found);
    if (found === null && trimmed !== value) onChange(trimmed);
  };
  return (
    <label className="date-filter">
      <span className="muted">{label}</span>
      <input
        className="input"
        value={text}
        inputMode="numeric"
        placeholder={t('datePlaceholder')}
        aria-invalid={problem !== null}
        title={problem === 'calendar' ? t('common:dateNotOnCalendar') : problem === 'format' ? t('dateInvalid') : t('dateHint')}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        size={10}
      />
    </label>
  );
}
