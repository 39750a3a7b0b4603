// One item of the library, as a list row or a grid card. Both are the same listbox option (the
// same aria, selection, click and checkbox behaviour): only what is drawn inside differs.
import { memo, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../shared/domain.ts';
import { Thumbnail } from '../components/Thumbnail.tsx';
import { formatDate, formatNumber, textLang } from '../format.ts';

export type OptionLook = 'row' | 'card';

export interface ItemOptionProps {
  readonly look: OptionLook;
  readonly index: number;
  /** undefined while its page is being fetched: a skeleton of the same size stands in. */
  readonly item: ItemSummary | undefined;
  readonly total: number;
  readonly selected: boolean;
  readonly focused: boolean;
  readonly onClick: (index: number, item: ItemSummary | undefined, e: MouseEvent) => void;
  readonly onOpen: (id: string) => void;
  /** The checkbox: toggles this item alone, whatever else is selected. */
  readonly onToggle: (index: number, id: string) => void;
}

/** Memoised: a row whose item, selection and focus are unchanged is not drawn again when the list scrolls. */
export const ItemOption = memo(function ItemOption({ look, index, item, total, selected, focused, onClick, onOpen, onToggle }: ItemOptionProps) {
  const { t } = useTranslation('library');
  const check = item && (
    <input
      type="checkbox"
      className={look === 'card' ? 'lib-card-check' : undefined}
      tabIndex={-1}
      checked={selected}
      aria-label={t('selectItem', { title: item.title })}
      onClick={(e) => e.stopPropagation()}
      onChange={() => onToggle(index, item.id)}
    />
  );
  return (
    <div
      id={optionId(index)}
      role="option"
      aria-selected={selected}
      aria-posinset={index + 1}
      aria-setsize={total}
      aria-label={item ? optionLabel(item, t) : t('loading')}
      className={`lib-${look}${selected ? ' is-selected' : ''}${focused ? ' is-focused' : ''}`}
      onClick={(e) => onClick(index, item, e)}
      onDoubleClick={() => item && onOpen(item.id)}
    >
      {!item ? (
        <span className={look === 'card' ? 'lib-skeleton lib-skeleton-card' : 'lib-skeleton'} />
      ) : look === 'card' ? (
        <CardContent item={item} check={check} />
      ) : (
        <RowContent item={item} check={check} />
      )}
    </div>
  );
});

/**
 * What a screen reader says of a row as the arrows reach it: the title, then a sensitivity
 * warning before anything of a graphic or protected item is opened, its kind and its date.
 */
function optionLabel(item: ItemSummary, t: (key: string) => string): string {
  const parts = [item.title, item.sensitivity !== 'normal' ? t(`common:sensitivity.${item.sensitivity}`) : '', t(`common:kind.${item.kind}`), formatDate(item.date)];
  return parts.filter((p) => p !== '').join(t('search:listSeparator'));
}

/** The DOM id of the option at `index` (the listbox's aria-activedescendant). */
export function optionId(index: number): string {
  return `lib-item-${index}`;
}

function RowContent({ item, check }: { item: ItemSummary; check: ReactNode }) {
  const { t } = useTranslation('library');
  return (
    <>
      <span className="lib-check">{check}</span>
      <Thumbnail item={item} size="small" />
      <span className="lib-title">
        <a
          href={`#/item/${item.id}`}
          tabIndex={-1}
          className="lib-title-link truncate"
          onClick={(e) => {
            // A modified click selects (the row's handler); a plain one follows the link.
            if (e.ctrlKey || e.metaKey || e.shiftKey) {
              e.preventDefault();
              return;
            }
            e.stopPropagation();
          }}
        >
          <span lang={textLang(item.title)}>{item.title}</span>
        </a>
        {item.sensitivity !== 'normal' && <span className={`badge badge-${item.sensitivity}`}>{t(`common:sensitivity.${item.sensitivity}`)}</span>}
      </span>
      <span className="lib-kind">{t(`common:kind.${item.kind}`)}</span>
      <span className="lib-date">{formatDate(item.date) || <span className="faint">—</span>}</span>
      <span className="lib-tags">
        {item.tags.slice(0, 3).map((tag) => (
          <span key={tag} className="chip" title={tag}>
            <span className="chip-text" dir="auto">
              {tag}
            </span>
          </span>
        ))}
        {item.tags.length > 3 && <span className="faint">+{formatNumber(item.tags.length - 3)}</span>}
      </span>
    </>
  );
}

function CardContent({ item, check }: { item: ItemSummary; check: ReactNode }) {
  const { t } = useTranslation('library');
  return (
    <>
      <Thumbnail item={item} size="large" />
      <div className="lib-card-text">
        <span className="lib-card-title" lang={textLang(item.title)}>
          {item.title}
        </span>
        <span className="lib-card-meta">
          {t(`common:kind.${item.kind}`)}
          {item.date && ` · ${formatDate(item.date)}`}
        </span>
      </div>
      {check}
    </>
  );
}
