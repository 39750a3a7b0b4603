// The search screen: results as the person types, with snippets highlighted where the words
// matched (on the text as archived, diacritics and all), facet counts that narrow the query when
// clicked, the near spellings a rare word was widened to, and the parser's notes on what it
// could not use. The input is a combobox over the results: arrows move, Enter opens.
//
// Typing must stay quick with a large archive: a keystroke re-renders the search bar only (the
// results, facets and notes are memoised on the answer they show), and a search starts as soon as
// the last one has finished (no fixed debounce: at most one call runs, so a fast typist's
// keystrokes coalesce while it does). Only an answer slower than SLOW_MS says "Searching…" and
// dims the results: flashing both on every keystroke for a 20 ms answer would flicker, and cost
// a render, a layout and a paint of the whole screen per keystroke.
import { Fragment, memo, useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ArgsOf, FacetCount, SearchHit, SearchResult } from '../../shared/api.ts';
import { api as defaultApi } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { QueryHelp } from '../components/QueryHelp.tsx';
import { formatDate, formatNumber } from '../format.ts';
import { FACET_NAMES, type FacetName } from '../search/facets.ts';
import { Highlighted } from '../search/Highlighted.tsx';
import { LatestRunner } from '../search/latest.ts';
import { addToQuery, facetFilter } from '../search/queryEdit.ts';
import { languageName } from '../search/languageName.ts';
import { warningKeyOf } from '../search/warnings.ts';
import '../search/search.css';

type Api = typeof defaultApi;

export interface SearchProps {
  /** Injected in tests; the app's own client otherwise. */
  readonly api?: Api;
  readonly onOpenItem: (id: string) => void;
  readonly initialQuery?: string;
  /** Opens the export dialog for every item this query finds (not only the page shown). */
  readonly onExport?: (query: string) => void;
}

const PAGE = 20;
// None: the engine answers in milliseconds, and at most one call runs at a time anyway.
const DEBOUNCE_MS = 0;
const SLOW_MS = 250;
// How long the answer to what was typed must stand, with no keystroke, before it is announced.
const ANNOUNCE_MS = 500;

interface Shown {
  readonly query: string;
  readonly result: SearchResult;
  readonly hits: readonly SearchHit[];
  readonly nextCursor: string | null;
}

function cursorOf(result: SearchResult): string | null {
  return result.nextCursor === '' ? null : result.nextCursor;
}

function searchArgs(query: string, cursor: string | null): ArgsOf<'search.query'> {
  return cursor === null ? { query, limit: PAGE } : { query, limit: PAGE, cursor };
}

/** The query of the last search screen, so that Back from an item returns to the same results. */
let lastQuery = '';

export function Search({ api = defaultApi, onOpenItem, initialQuery, onExport }: SearchProps) {
  const { t, i18n } = useTranslation('search');
  const [query, setQuery] = useState(() => initialQuery ?? lastQuery);
  const [shown, setShown] = useState<Shown | null>(null);
  // Waiting longer than SLOW_MS for the answer to what was typed.
  const [slow, setSlow] = useState(false);
  const slowTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(-1);
  const [loadingMore, setLoadingMore] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const resultsRef = useRef<HTMLDivElement>(null);
  const queryRef = useRef(query);
  queryRef.current = query;
  // Enter pressed before the answer to what was typed arrived: open its first hit when it does.
  const enterPending = useRef(false);
  // The arrows moved the active hit: bring it into view (new results only go back to the top).
  const revealActive = useRef(false);
  const openRef = useRef(onOpenItem);
  openRef.current = onOpenItem;
  const baseId = useId();
  const listId = `${baseId}-results`;
  const optionId = (i: number) => `${baseId}-hit-${i}`;

  // Made in an effect, not during render: React's StrictMode runs effects twice in development,
  // and a runner disposed by the first cleanup must not be the one the second run uses.
  const runnerRef = useRef<LatestRunner<string, SearchResult> | null>(null);
  const settled = useCallback(() => {
    if (slowTimer.current !== null) clearTimeout(slowTimer.current);
    slowTimer.current = null;
    setSlow(false);
  }, []);
  useEffect(() => {
    const runner = new LatestRunner<string, SearchResult>(
      {
        run: (q) => api.call('search.query', searchArgs(q, null)),
        onResult: (q, result) => {
          // Subtle: read before React renders the answer, when layout is still clean, so going
          // back to the top never forces a layout of its own.
          const scroller = resultsRef.current;
          if (scroller && scroller.scrollTop !== 0) scroller.scrollTop = 0;
          settled();
          setError(null);
          setShown({ query: q, result, hits: result.hits, nextCursor: cursorOf(result) });
          setActive(result.hits.length > 0 ? 0 : -1);
          const first = result.hits[0];
          if (enterPending.current && first) openRef.current(first.id);
          enterPending.current = false;
        },
        onError: (_q, err) => {
          enterPending.current = false;
          settled();
          setError(errorMessage(err));
        },
      },
      DEBOUNCE_MS,
    );
    runnerRef.current = runner;
    return () => {
      runner.dispose();
      runnerRef.current = null;
      settled();
    };
  }, [api, settled]);

  useEffect(() => {
    lastQuery = query;
    const runner = runnerRef.current;
    if (query.trim() === '') {
      runner?.cancel();
      settled();
      setShown(null);
      setError(null);
      setActive(-1);
      return;
    }
    runner?.request(query);
    slowTimer.current ??= setTimeout(() => setSlow(true), SLOW_MS);
  }, [query, api, settled]);

  // What a screen reader hears: the total for the text in the box once its answer is on screen and
  // typing has paused, not every total that passes while the person types (the visible status line
  // is not a live region). Each new answer is said in a new element, so that a search ending on the
  // same total as the one before is still heard.
  const [announced, setAnnounced] = useState<{ id: number; text: string } | null>(null);
  const announcedResult = useRef<SearchResult | null>(null);
  useEffect(() => {
    if (query.trim() === '') {
      announcedResult.current = null;
      setAnnounced(null);
      return;
    }
    if (shown === null || shown.query !== query) return;
    const { result } = shown;
    const text = t('total', { count: formatNumber(result.total) });
    const timer = setTimeout(() => {
      if (announcedResult.current === result) {
        // The same answer: more of its pages loaded (nothing to say), or another language.
        setAnnounced((prev) => (prev && prev.text !== text ? { ...prev, text } : prev));
        return;
      }
      announcedResult.current = result;
      setAnnounced((prev) => ({ id: (prev?.id ?? 0) + 1, text }));
    }, ANNOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, shown, t]);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  // Keep the active hit in view as the arrows move through a long list.
  useEffect(() => {
    if (active < 0 || !revealActive.current) return;
    revealActive.current = false;
    document.getElementById(`${baseId}-hit-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, baseId]);

  const loadMore = useCallback(async () => {
    if (!shown || shown.nextCursor === null || loadingMore) return;
    const { query: q, nextCursor } = shown;
    setLoadingMore(true);
    try {
      const page = await api.call('search.query', searchArgs(q, nextCursor));
      // A page for a query the person has since changed is not wanted.
      if (queryRef.current !== q) return;
      setShown((prev) =>
        prev && prev.query === q ? { ...prev, hits: [...prev.hits, ...page.hits], nextCursor: cursorOf(page) } : prev,
      );
    } catch (err) {
      if (queryRef.current === q) setError(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  }, [api, shown, loadingMore]);

  const hits = shown?.hits ?? [];

  const moveTo = (i: number) => {
    revealActive.current = true;
    setActive(i);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (hits.length === 0) return;
      if (active >= hits.length - 1) {
        if (shown?.nextCursor) void loadMore();
        return;
      }
      moveTo(active + 1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (hits.length > 0) moveTo(Math.max(0, active - 1));
    } else if (e.key === 'Enter') {
      if (query.trim() !== '' && shown?.query !== query) {
        e.preventDefault();
        enterPending.current = true;
        return;
      }
      const hit = hits[active] ?? hits[0];
      if (hit) {
        e.preventDefault();
        onOpenItem(hit.id);
      }
    } else if (e.key === 'Escape' && query !== '') {
      e.preventDefault();
      setQuery('');
    }
  };

  // Stable, so that the memoised results and facets ignore keystrokes.
  const addFilter = useCallback((facet: FacetName, value: string) => {
    setQuery((q) => addToQuery(q, facetFilter(facet, value)));
    inputRef.current?.focus();
  }, []);
  const openHit = useCallback((id: string) => openRef.current(id), []);

  const pickExample = (example: string) => {
    setQuery(example);
    inputRef.current?.focus();
  };

  const lang = i18n.language;
  const result = shown?.result;

  return (
    <section className="search-screen" aria-labelledby={`${baseId}-title`}>
      <h1 id={`${baseId}-title`} className="visually-hidden">
        {t('title')}
      </h1>
      <div className="search-bar">
        <input
          ref={inputRef}
          type="search"
          className="search-input"
          dir="auto"
          value={query}
          onChange={(e) => {
            enterPending.current = false;
            setQuery(e.target.value);
          }}
          onKeyDown={onKeyDown}
          placeholder={t('placeholder')}
          aria-label={t('inputLabel')}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={active >= 0 && hits[active] ? optionId(active) : undefined}
          autoComplete="off"
          spellCheck={false}
          maxLength={10_000}
          data-testid="search-input"
        />
        <QueryHelp query={query} onExample={pickExample} />
      </div>

      <div className="search-status">
        {slow ? (
          <span className="search-busy">{t('searching')}</span>
        ) : result && shown?.query.trim() ? (
          <>
            <span data-testid="search-total">{t('total', { count: formatNumber(result.total) })}</span>
            {onExport && result.total > 0 && (
              <button type="button" className="btn btn-small search-export" onClick={() => onExport(shown.query.trim())} data-testid="search-export">
                {t('exportResults')}
              </button>
            )}
          </>
        ) : null}
      </div>
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="search-announcement">
        {announced && <span key={announced.id}>{announced.text}</span>}
      </div>

      {error !== null && (
        <p className="search-error" role="alert">
          {t('error', { message: error })}
        </p>
      )}

      {result && <ResultNotes result={result} />}

      {query.trim() === '' ? (
        <div className="search-empty">
          <p>{t('empty')}</p>
          <p className="search-empty-hint">{t('emptyHint')}</p>
        </div>
      ) : (
        // data-results-for: which query the results on screen answer (the ui benchmark and the
        // e2e tests wait for the answer to what was typed, not just any answer).
        <div className={`search-body${slow ? ' is-stale' : ''}`} data-results-for={shown?.query}>
          {result && result.total > 0 && <Facets facets={result.facets} lang={lang} onPick={addFilter} />}
          <div className="search-results" ref={resultsRef}>
            {/* Only for the text in the box: an empty answer to the text before it says nothing
                about the search whose answer is on its way. */}
            {result && hits.length === 0 && shown.query === query && (
              <div className="search-none">
                <p>{t('noResults')}</p>
                <p className="search-empty-hint">{t('noResultsHint')}</p>
              </div>
            )}
            <ul id={listId} role="listbox" aria-label={t('resultsLabel')} className="search-hits">
              {hits.map((hit, i) => (
                <HitRow key={hit.id} hit={hit} id={optionId(i)} index={i} active={i === active} t={t} onHover={setActive} onOpen={openHit} />
              ))}
            </ul>
            {shown?.nextCursor && (
              <button type="button" className="btn search-more" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? t('loadingMore') : t('more')}
              </button>
            )}
          </div>
        </div>
      )}
    </section>
  );
}

/** The parser's notes and the near spellings a rare word was widened to. */
const ResultNotes = memo(function ResultNotes({ result }: { result: SearchResult }) {
  const { t } = useTranslation('search');
  const listSeparator = t('listSeparator');
  return (
    <>
      {result.warnings.length > 0 && (
        <div className="search-notes" data-testid="search-warnings">
          <span className="search-notes-title">{t('warningsTitle')}</span>
          <ul>
            {result.warnings.map((w, i) => {
              const code = result.warningCodes[i];
              const known = code ? warningKeyOf(code) : null;
              return (
                // A sentence in the interface's language reads in its direction, even when it opens
                // with the Latin word it quotes (kind:); only the engine's own text is left to guess.
                <li key={w} dir={known ? undefined : 'auto'}>
                  {known ? t(known.key, known.params) : w}
                </li>
              );
            })}
          </ul>
        </div>
      )}
      {result.alsoMatched.length > 0 && (
        <p className="search-also" data-testid="search-also-matched">
          {result.alsoMatched.map((a, i) => (
            <span key={a.term} className="search-also-entry">
              {i > 0 ? ' · ' : ''}
              {t('alsoMatched', { term: a.term })}{' '}
              {/* Each in its own isolate: one list may hold both scripts (kadhimi، الكاظمي). */}
              {a.alternatives.map((alt, k) => (
                <Fragment key={alt}>
                  {k > 0 ? listSeparator : ''}
                  <bdi className="search-also-term">{alt}</bdi>
                </Fragment>
              ))}
            </span>
          ))}
        </p>
      )}
    </>
  );
});

interface HitRowProps {
  readonly hit: SearchHit;
  readonly id: string;
  readonly index: number;
  readonly active: boolean;
  readonly t: TFunction<'search'>;
  readonly onHover: (index: number) => void;
  readonly onOpen: (id: string) => void;
}

// One row per hit, memoised: moving the active hit re-renders the two rows it leaves and enters.
// `t` comes from the screen (a new one when the language changes): a hook per row would subscribe
// every row to i18next as it mounts, and every answer mounts a page of new rows.
const HitRow = memo(function HitRow({ hit, id, index, active, t, onHover, onOpen }: HitRowProps) {
  return (
    <li
      id={id}
      role="option"
      aria-selected={active}
      className={`search-hit${active ? ' is-active' : ''}`}
      onMouseMove={() => !active && onHover(index)}
      onClick={() => onOpen(hit.id)}
      data-testid="search-hit"
    >
      <div className="search-hit-head">
        <span className={`kind-badge kind-${hit.kind}`}>{t(`kind.${hit.kind}`)}</span>
        <span className="search-hit-title">
          <bdi>{hit.title || t('untitled')}</bdi>
        </span>
        {hit.date && <span className="search-hit-date">{formatDate(hit.date)}</span>}
      </div>
      {hit.snippet && (
        <p className="search-snippet">
          <span className="search-snippet-field">{t(`field.${hit.snippet.field}`, { defaultValue: hit.snippet.field })}</span>
          <span dir="auto" className="search-snippet-text">
            <Highlighted text={hit.snippet.text} ranges={hit.snippet.ranges} />
          </span>
        </p>
      )}
    </li>
  );
});

const Facets = memo(function Facets({ facets, lang, onPick }: { facets: SearchResult['facets']; lang: string; onPick: (facet: FacetName, value: string) => void }) {
  const { t } = useTranslation('search');
  return (
    <aside className="search-facets" aria-label={t('facets.title')}>
      {FACET_NAMES.map((name) => (
        <FacetGroup key={name} name={name} values={facets[name]} lang={lang} t={t} onPick={onPick} />
      ))}
    </aside>
  );
});

interface FacetGroupProps {
  readonly name: FacetName;
  readonly values: readonly FacetCount[];
  readonly lang: string;
  readonly t: TFunction<'search'>;
  readonly onPick: (facet: FacetName, value: string) => void;
}

function FacetGroup({ name, values, lang, t, onPick }: FacetGroupProps) {
  const [all, setAll] = useState(false);
  if (values.length === 0) return null;
  const visible = all ? values : values.slice(0, 8);
  return (
    <section className="search-facet" data-facet={name}>
      <h2 className="search-facet-title">{t(`facets.${name}`)}</h2>
      <ul>
        {visible.map((v) => {
          const label = facetLabel(name, v.value, lang, (k, o) => t(k, o ?? {}));
          return (
            <li key={v.value}>
              <button
                type="button"
                className="search-facet-value"
                onClick={() => onPick(name, v.value)}
                title={t('facets.add', { filter: facetFilter(name, v.value) })}
                data-testid={`facet-${name}`}
              >
                <span className="search-facet-label">
                  <bdi>{label}</bdi>
                </span>
                <span className="search-facet-count">{formatNumber(v.count)}</span>
              </button>
            </li>
          );
        })}
      </ul>
      {values.length > visible.length && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll(true)}>
          {t('facets.showAll', { count: formatNumber(values.length) })}
        </button>
      )}
    </section>
  );
}

function facetLabel(name: FacetName, value: string, lang: string, t: (key: string, options?: Record<string, unknown>) => string): string {
  switch (name) {
    case 'kind':
      return t(`kind.${value}`, { defaultValue: value });
    case 'language':
      return languageName(value, lang);
    case 'year':
      return formatDate(value);
    case 'tag':
      return value;
    default:
      return value;
  }
}
