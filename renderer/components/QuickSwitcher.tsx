// Ctrl+K: jump to an item, a tag or a collection by a few letters of its name. A modal dialog
// with a combobox over a listbox (aria-activedescendant), focus kept inside while it is open and
// given back to where it was when it closes without a choice.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuickHit } from '../../shared/api.ts';
import { api } from '../api.ts';
import { errorMessage } from '../errors.ts';
import { Highlighted } from '../search/Highlighted.tsx';
import { LatestRunner } from '../search/latest.ts';
import '../search/search.css';
import type { LabelKind } from '../../shared/vocabulary.ts';

export interface QuickSwitcherProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onOpenItem: (id: string) => void;
  readonly onFilter: (kind: LabelKind, name: string) => void;
}

const LIMIT = 12;

export function QuickSwitcher(props: QuickSwitcherProps) {
  // Mounted fresh each time it opens: no query or results left over from last time.
  return props.open ? <QuickSwitcherDialog {...props} /> : null;
}

function QuickSwitcherDialog({ onClose, onOpenItem, onFilter }: QuickSwitcherProps) {
  const { t } = useTranslation('search');
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<readonly QuickHit[]>([]);
  const [answered, setAnswered] = useState('');
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = useId();
  // Enter pressed before the answer to what was typed arrived: choose its first hit when it does.
  const enterPending = useRef(false);
  // What the last answer was for and its hits, as the answer left them: Enter can come before the
  // render that shows the answer, and must not be judged by the render before it.
  const answeredRef = useRef('');
  const hitsRef = useRef<readonly QuickHit[]>([]);
  const chooseRef = useRef<(hit: QuickHit) => void>(() => undefined);
  const optionId = (i: number) => `${id}-option-${i}`;

  // Made in an effect (see Search.tsx): StrictMode's second run must get a live runner.
  const runnerRef = useRef<LatestRunner<string, readonly QuickHit[]> | null>(null);
  useEffect(() => {
    const runner = new LatestRunner<string, readonly QuickHit[]>(
      {
        run: (q) => api.call('search.quick', { query: q, limit: LIMIT }),
        onResult: (q, result) => {
          setError(null);
          setHits(result);
          setAnswered(q);
          answeredRef.current = q;
          hitsRef.current = result;
          setActive(0);
          if (enterPending.current && result[0]) chooseRef.current(result[0]);
          enterPending.current = false;
        },
        onError: (_q, err) => {
          enterPending.current = false;
          setError(errorMessage(err));
        },
      },
      0,
    );
    runnerRef.current = runner;
    return () => {
      runner.dispose();
      runnerRef.current = null;
    };
  }, []);

  useEffect(() => {
    const runner = runnerRef.current;
    if (query.trim() === '') {
      runner?.cancel();
      setHits([]);
      setAnswered('');
      answeredRef.current = '';
      hitsRef.current = [];
      setError(null);
      return;
    }
    runner?.request(query.slice(0, 500));
  }, [query]);

  // A modal <dialog> in the top layer: the rest of the page is inert while it is open (for the
  // keyboard and for screen readers alike). Focus moves in, and back to whatever had it on close.
  useEffect(() => {
    const dialog = dialogRef.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (before?.isConnected && (document.activeElement === document.body || document.activeElement === null)) before.focus();
    };
  }, []);

  useEffect(() => {
    document.getElementById(`${id}-option-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active, id]);

  const choose = (hit: QuickHit) => {
    if (hit.type === 'item') onOpenItem(hit.id);
    else onFilter(hit.type, hit.id);
    onClose();
  };
  chooseRef.current = choose;

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    switch (e.key) {
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        onClose();
        return;
      case 'ArrowDown':
        e.preventDefault();
        if (hits.length > 0) setActive((a) => (a + 1) % hits.length);
        return;
      case 'ArrowUp':
        e.preventDefault();
        if (hits.length > 0) setActive((a) => (a - 1 + hits.length) % hits.length);
        return;
      case 'Enter': {
        if (e.target !== inputRef.current) return;
        if (query.trim() !== '' && answeredRef.current !== query.slice(0, 500)) {
          e.preventDefault();
          enterPending.current = true;
          return;
        }
        // An answer not yet shown puts its first hit first, as its render will.
        const hit = answered === answeredRef.current ? hits[active] : hitsRef.current[0];
        if (hit) {
          e.preventDefault();
          choose(hit);
        }
        return;
      }
      case 'Tab':
        trapTab(e, dialogRef.current);
        return;
      default:
        return;
    }
  };

  const showNone = query.trim() !== '' && answered === query.slice(0, 500) && hits.length === 0 && error === null;

  return (
    <dialog
      ref={dialogRef}
      className="quick-dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // A press on the backdrop lands on the dialog element itself, outside its content.
      onMouseDown={(e) => e.target === e.currentTarget && onClose()}
      data-testid="quick-switcher"
    >
      <div className="quick-content">
        <h2 id={`${id}-title`} className="visually-hidden">
          {t('quick.title')}
        </h2>
        <input
          ref={inputRef}
          className="quick-input"
          type="text"
          dir="auto"
          value={query}
          onChange={(e) => {
            enterPending.current = false;
            setQuery(e.target.value);
          }}
          placeholder={t('quick.placeholder')}
          aria-label={t('quick.inputLabel')}
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={hits[active] ? optionId(active) : undefined}
          autoComplete="off"
          spellCheck={false}
          maxLength={500}
          data-testid="quick-input"
        />
        <ul id={`${id}-list`} role="listbox" aria-label={t('quick.results')} className="quick-list">
          {hits.map((hit, i) => (
            <li
              key={`${hit.type}:${hit.id}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={`quick-option${i === active ? ' is-active' : ''}`}
              onMouseMove={() => active !== i && setActive(i)}
              onClick={() => choose(hit)}
              data-testid="quick-option"
            >
              <span className={`quick-type quick-type-${hit.type}`}>
                {hit.type === 'item' && hit.itemKind ? t(`kind.${hit.itemKind}`) : t(`quick.type.${hit.type}`)}
              </span>
              <bdi className="quick-title" dir="auto">
                <Highlighted text={hit.title} ranges={hit.ranges} />
              </bdi>
            </li>
          ))}
        </ul>
        {showNone && <p className="quick-none">{t('quick.none')}</p>}
        {error !== null && (
          <p className="quick-error" role="alert">
            {t('quick.error', { message: error })}
          </p>
        )}
        <p className="quick-hint" aria-hidden="true">
          {t('quick.hint')}
        </p>
      </div>
    </dialog>
  );
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Keeps Tab and Shift+Tab cycling inside `container`. */
export function trapTab(e: KeyboardEvent, container: HTMLElement | null): void {
  if (!container) return;
  const focusable = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => el.offsetParent !== null || el === document.activeElement);
  if (focusable.length === 0) {
    e.preventDefault();
    return;
  }
  const first = focusable[0] as HTMLElement;
  const last = focusable[focusable.length - 1] as HTMLElement;
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && document.activeElement === last) {
    e.preventDefault();
    first.focus();
  }
}
