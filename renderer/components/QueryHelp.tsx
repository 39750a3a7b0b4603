// The query syntax in a small popover beside the search box: each rule with an example in the
// reader's language (click one to try it), and the current query read back as a sentence.
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../format.ts';
import { explainQuery } from '../search/explain.ts';
import { languageName } from '../search/languageName.ts';

export const HELP_RULES = ['words', 'phrase', 'prefix', 'exclude', 'or', 'group', 'kind', 'tag', 'lang', 'dates', 'collection', 'has'] as const;

export interface QueryHelpProps {
  /** The query being typed, read back as a sentence. */
  readonly query?: string;
  /** Called with an example the person clicked. */
  readonly onExample?: (example: string) => void;
}

export function QueryHelp({ query = '', onExample }: QueryHelpProps) {
  const { t, i18n } = useTranslation('search');
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const id = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node | null;
      if (panelRef.current?.contains(target) || buttonRef.current?.contains(target)) return;
      setOpen(false);
    };
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey, true);
    panelRef.current?.focus();
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const meaning = open ? explainQuery(query, (k, o) => t(k, o ?? {}), (c) => languageName(c, i18n.language), formatDate) : null;

  return (
    <div className="query-help">
      <button
        ref={buttonRef}
        type="button"
        className="btn btn-icon query-help-button"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        aria-label={t('help.open')}
        title={t('help.open')}
        onClick={() => setOpen((o) => !o)}
        data-testid="query-help-button"
      >
        ?
      </button>
      {open && (
        <div
          ref={panelRef}
          id={`${id}-panel`}
          className="popover query-help-panel"
          role="dialog"
          aria-labelledby={`${id}-title`}
          tabIndex={-1}
          data-testid="query-help"
        >
          <h2 id={`${id}-title`} className="query-help-title">
            {t('help.title')}
          </h2>
          {query.trim() !== '' && (
            <p className="query-help-meaning" data-testid="query-meaning">
              <strong>{t('help.meaning')}</strong> <span dir="auto">{meaning ?? t('explain.nothing')}</span>
            </p>
          )}
          <p className="query-help-intro">{t('help.intro')}</p>
          <table className="query-help-rules">
            <tbody>
              {HELP_RULES.map((rule) => {
                const example = t(`help.rules.${rule}.example`);
                return (
                  <tr key={rule}>
                    <td>
                      {onExample ? (
                        <button
                          type="button"
                          className="query-help-example"
                          dir="auto"
                          onClick={() => {
                            onExample(example);
                            setOpen(false);
                          }}
                          title={t('help.tryIt')}
                        >
                          <code>{example}</code>
                        </button>
                      ) : (
                        <code dir="auto">{example}</code>
                      )}
                    </td>
                    <td>{t(`help.rules.${rule}.text`)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="query-help-note">{t('help.tolerance')}</p>
        </div>
      )}
    </div>
  );
}
