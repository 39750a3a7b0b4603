// Tags and collections of one item: remove with the chip's ×, add by typing (existing names are
// offered as suggestions). Each change is one engine call and one custody entry.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Item } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { useRemovalFocus } from '../components/useRemovalFocus.ts';
import { errorMessage } from '../errors.ts';
import { MAX_LABEL_CHARS, type LabelKind } from '../../shared/vocabulary.ts';

export function LabelsEditor({ item, onChanged, onFilter }: { item: Item; onChanged: (item: Item) => void; onFilter: (kind: LabelKind, name: string) => void }) {
  const { t } = useTranslation('item');
  const [error, setError] = useState<string | null>(null);
  const [known, setKnown] = useState<{ tags: string[]; collections: string[] }>({ tags: [], collections: [] });

  useEffect(() => {
    let live = true;
    Promise.all([api.call('labels.tags', {}), api.call('labels.collections', {})]).then(
      ([tags, collections]) => live && setKnown({ tags: tags.map((x) => x.name), collections: collections.map((x) => x.name) }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [item.tags, item.collections]);

  /** True when the change was made. */
  const run = async (call: () => Promise<Item>): Promise<boolean> => {
    setError(null);
    try {
      onChanged(await call());
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    }
  };
  const disabled = item.deletedAt !== null;

  return (
    <div className="labels">
      <LabelRow
        kind="tag"
        label={t('tags')}
        names={item.tags}
        known={known.tags}
        disabled={disabled}
        onOpen={(name) => onFilter('tag', name)}
        onAdd={(name) => run(() => api.call('items.tag', { id: item.id, add: [name] }))}
        onRemove={(name) => run(() => api.call('items.tag', { id: item.id, remove: [name] }))}
      />
      <LabelRow
        kind="collection"
        label={t('collections')}
        names={item.collections}
        known={known.collections}
        disabled={disabled}
        onOpen={(name) => onFilter('collection', name)}
        onAdd={(name) => run(() => api.call('items.collect', { id: item.id, collection: name }))}
        onRemove={(name) => run(() => api.call('items.collect', { id: item.id, collection: name, remove: true }))}
      />
      {error && (
        <div className="error-box" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

function LabelRow(props: {
  kind: LabelKind;
  label: string;
  names: readonly string[];
  known: readonly string[];
  disabled: boolean;
  onOpen: (name: string) => void;
  onAdd: (name: string) => Promise<boolean>;
  onRemove: (name: string) => Promise<boolean>;
}) {
  const { t } = useTranslation('item');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const listId = useId();
  const inputId = useId();
  const suggestions = props.known.filter((n) => !props.names.includes(n));
  const focus = useRemovalFocus(props.names);

  const remove = async (name: string) => {
    const settled = focus.removing(name);
    settled(await props.onRemove(name));
  };

  const add = async () => {
    const name = text.trim();
    if (!name || busy) return;
    setBusy(true);
    const added = await props.onAdd(name);
    setBusy(false);
    // A name refused stays in the field, to be corrected.
    if (added) setText('');
  };

  return (
    <div className="label-row">
      <h3 className="label-row-head">
        <Icon name={props.kind === 'tag' ? 'tag' : 'folder'} size={14} />
        {props.label}
      </h3>
      <div className="label-chips" ref={(el) => void (focus.list.current = el)}>
        {props.names.length === 0 && <span className="faint">{t(props.kind === 'tag' ? 'noTags' : 'noCollections')}</span>}
        {props.names.map((name) => (
          <span key={name} className="chip">
            <button type="button" className="chip-link chip-text" dir="auto" onClick={() => props.onOpen(name)} title={t('showAllWith', { name })}>
              {name}
            </button>
            {!props.disabled && (
              <button type="button" aria-label={t('removeLabel', { name })} data-remove onClick={() => void remove(name)}>
                <Icon name="close" size={12} />
              </button>
            )}
          </span>
        ))}
      </div>
      {!props.disabled && (
        <form
          className="label-add"
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <label htmlFor={inputId} className="visually-hidden">
            {t(props.kind === 'tag' ? 'addTag' : 'addCollection')}
          </label>
          {/* Read-only while adding, not disabled: a disabled field loses the focus, and the next
              name typed after Enter went nowhere. */}
          <input
            id={inputId}
            ref={(el) => void (focus.fallback.current = el)}
            className="input"
            list={listId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t(props.kind === 'tag' ? 'addTag' : 'addCollection')}
            maxLength={MAX_LABEL_CHARS}
            dir="auto"
            readOnly={busy}
            aria-busy={busy || undefined}
          />
          <datalist id={listId}>
            {suggestions.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <button type="submit" className="btn btn-small btn-icon" disabled={busy || !text.trim()} aria-label={t(props.kind === 'tag' ? 'addTag' : 'addCollection')}>
            <Icon name="plus" size={16} />
          </button>
        </form>
      )}
    </div>
  );
}
