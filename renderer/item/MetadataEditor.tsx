// An item's descriptive fields, read as a list and edited in place. Each field is checked as it is
// typed (in the interface's language); the engine checks again on save, and its message, if any,
// appears under the field it names.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SENSITIVITIES, type Item } from '../../shared/domain.ts';
import { dateProblem } from '../../shared/vocabulary.ts';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { errorMessage } from '../errors.ts';
import { formatDate } from '../format.ts';
import { languageLabel } from './languages.ts';

type FieldKind = 'text' | 'long' | 'date' | 'language' | 'url' | 'sensitivity';
interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  readonly max: number;
  /** Cannot be cleared (stored as text, never null). */
  readonly required?: boolean;
  readonly keepEmpty?: boolean;
  readonly testimony?: boolean;
  readonly protected?: boolean;
}

const GROUPS: readonly { readonly key: string; readonly fields: readonly FieldSpec[]; readonly testimonyOnly?: boolean }[] = [
  {
    key: 'general',
    fields: [
      { name: 'title', kind: 'text', max: 2000, required: true },
      { name: 'description', kind: 'long', max: 100_000, keepEmpty: true },
      { name: 'language', kind: 'language', max: 35 },
      { name: 'sensitivity', kind: 'sensitivity', max: 20, required: true },
    ],
  },
  {
    key: 'source',
    fields: [
      { name: 'sourceUrl', kind: 'url', max: 8000 },
      { name: 'sourceOutlet', kind: 'text', max: 2000 },
      { name: 'sourceAuthor', kind: 'text', max: 2000 },
    ],
  },
  {
    key: 'when',
    fields: [
      { name: 'eventDate', kind: 'date', max: 40 },
      { name: 'publishedAt', kind: 'date', max: 40 },
      { name: 'capturedAt', kind: 'date', max: 40 },
      { name: 'place', kind: 'text', max: 2000 },
      { name: 'people', kind: 'long', max: 10_000 },
    ],
  },
  {
    key: 'testimony',
    testimonyOnly: true,
    fields: [
      { name: 'speakerAlias', kind: 'text', max: 500, testimony: true },
      { name: 'relationToCase', kind: 'long', max: 2000, testimony: true },
      { name: 'interviewer', kind: 'text', max: 500, testimony: true },
      { name: 'consent', kind: 'long', max: 4000, testimony: true },
      { name: 'speakerName', kind: 'text', max: 500, testimony: true, protected: true },
      { name: 'speakerContact', kind: 'text', max: 2000, testimony: true, protected: true },
      { name: 'protectedNotes', kind: 'long', max: 100_000, testimony: true, protected: true },
    ],
  },
];

const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function currentValue(item: Item, spec: FieldSpec): string {
  const source: Record<string, unknown> = spec.testimony ? ((item.testimony ?? {}) as Record<string, unknown>) : (item as unknown as Record<string, unknown>);
  const v = source[spec.name];
  return typeof v === 'string' ? v : '';
}

/**
 * Edits not yet saved, by item, kept when the item's screen is left (Back, a link, the quick
 * switcher): coming back to the item opens the form on them again. Only Save or Cancel ends one.
 */
const unsaved = new Map<string, { initial: Record<string, string>; values: Record<string, string> }>();

export function MetadataEditor({ item, onSaved }: { item: Item; onSaved: (item: Item) => void }) {
  const { t, i18n } = useTranslation('item');
  const kept = useRef(unsaved.get(item.id)).current;
  const [editing, setEditingState] = useState(kept !== undefined);
  // What the fields held when Edit was pressed: only what was changed since is sent, so a field
  // changed meanwhile elsewhere (another window) is not put back by a form that never touched it.
  const [initial, setInitial] = useState<Record<string, string>>(kept?.initial ?? {});
  const [values, setValues] = useState<Record<string, string>>(kept?.values ?? {});
  const [resumed, setResumed] = useState(kept !== undefined);
  const latest = useRef({ editing, initial, values });
  latest.current = { editing, initial, values };
  useEffect(() => {
    const id = item.id;
    return () => {
      const { editing: open, initial: before, values: now } = latest.current;
      if (open && Object.keys(now).some((k) => now[k] !== before[k])) unsaved.set(id, { initial: before, values: now });
      else unsaved.delete(id);
    };
  }, [item.id]);
  // Edit, Save, Cancel and Reveal each leave the page as they are pressed (the form replaces the
  // facts, the facts the form, the fields the button): where focus goes instead is set with the
  // change and done once it is on the page, not left to fall to <body>.
  const editButton = useRef<HTMLButtonElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const focusAfter = useRef<(() => void) | null>(null);
  useLayoutEffect(() => {
    const move = focusAfter.current;
    focusAfter.current = null;
    move?.();
  });
  const setEditing = (on: boolean) => {
    if (!on) unsaved.delete(item.id);
    focusAfter.current = on ? () => form.current?.querySelector<HTMLElement>('input, select, textarea')?.focus() : () => editButton.current?.focus();
    setEditingState(on);
  };
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [revealed, setRevealed] = useState(false);

  const groups = GROUPS.filter((g) => !g.testimonyOnly || item.kind === 'testimony');
  const specs = groups.flatMap((g) => g.fields);

  const validate = (spec: FieldSpec, value: string): string | null => {
    const v = value.trim();
    if (v === '') return spec.required && spec.kind !== 'sensitivity' ? t('validation.required') : null;
    if (value.length > spec.max) return t('validation.tooLong', { max: spec.max });
    const wrongDate = spec.kind === 'date' ? dateProblem(v) : null;
    if (wrongDate !== null) return wrongDate === 'calendar' ? t('common:dateNotOnCalendar') : t('validation.date');
    if (spec.kind === 'language' && !LANGUAGE.test(v)) return t('validation.language');
    return null;
  };

  const errors = useMemo(() => {
    const out: Record<string, string> = {};
    if (!editing) return out;
    for (const spec of specs) {
      const value = values[spec.name];
      if (value === undefined) continue;
      const problem = validate(spec, value);
      if (problem) out[spec.name] = problem;
    }
    return out;
  }, [values, editing, item.kind, i18n.language]);

  const start = () => {
    const snapshot: Record<string, string> = {};
    for (const spec of specs) snapshot[spec.name] = currentValue(item, spec);
    setInitial(snapshot);
    setValues(snapshot);
    setResumed(false);
    setServerErrors({});
    setFormError(null);
    setEditing(true);
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length > 0) return;
    const set: Record<string, string | null> = {};
    for (const spec of specs) {
      const value = values[spec.name];
      if (value === undefined) continue;
      const trimmed = spec.kind === 'long' ? value : value.trim();
      if (value === initial[spec.name] || trimmed === currentValue(item, spec)) continue;
      set[spec.name] = trimmed === '' && !spec.required && !spec.keepEmpty ? null : trimmed;
    }
    if (Object.keys(set).length === 0) {
      setEditing(false);
      return;
    }
    setSaving(true);
    setServerErrors({});
    setFormError(null);
    try {
      const saved = await api.call('items.edit', { id: item.id, set });
      setEditing(false);
      onSaved(saved);
    } catch (err) {
      const message = errorMessage(err);
      // The engine names the field first ("publishedAt: a date must look like ..."): show it there.
      const match = /^([A-Za-z]+): (.*)$/s.exec(message);
      if (match && specs.some((s) => s.name === match[1])) setServerErrors({ [match[1]!]: match[2]! });
      else setFormError(message);
    } finally {
      setSaving(false);
    }
  };

  const display = (spec: FieldSpec): string => {
    const v = currentValue(item, spec);
    if (!v) return '';
    if (spec.kind === 'date') return formatDate(v);
    if (spec.kind === 'language') return `${languageLabel(v, i18n.language)} (${v})`;
    if (spec.kind === 'sensitivity') return t(`common:sensitivity.${v}`);
    return v;
  };

  // An item in the trash is not edited (restore it first): edits kept from before it was trashed
  // wait, unsaved, for it to come back.
  if (!editing || item.deletedAt !== null) {
    return (
      <div className="metadata">
        <div className="row section-head">
          <h2 className="grow">{t('details')}</h2>
          <button type="button" className="btn btn-small" ref={editButton} onClick={start} disabled={item.deletedAt !== null}>
            <Icon name="edit" size={16} />
            {t('edit')}
          </button>
        </div>
        {groups.map((g) => {
          const shown = g.fields.filter((f) => display(f) !== '' && (!f.protected || revealed));
          const hasProtected = g.fields.some((f) => f.protected && currentValue(item, f) !== '');
          if (shown.length === 0 && !hasProtected) return null;
          return (
            <section key={g.key} className="meta-group">
              <h3>{t(`groups.${g.key}`)}</h3>
              <dl className="facts">
                {shown.map((f) => (
                  <div key={f.name} className="fact">
                    <dt>{t(`fields.${f.name}`)}</dt>
                    <dd className={f.kind === 'url' ? 'mono break' : undefined}>
                      {display(f)}
                    </dd>
                  </div>
                ))}
              </dl>
              {/* One button that stays, Reveal then Hide: the focus stays on it. */}
              {hasProtected && (
                <button type="button" className="btn btn-small" onClick={() => setRevealed((v) => !v)} aria-expanded={revealed}>
                  <Icon name={revealed ? 'eyeOff' : 'lock'} size={14} />
                  {t(revealed ? 'testimony.hide' : 'testimony.reveal')}
                </button>
              )}
            </section>
          );
        })}
      </div>
    );
  }

  const invalid = Object.keys(errors).length > 0;
  return (
    <form className="metadata metadata-edit" ref={form} onSubmit={(e) => void save(e)} noValidate aria-label={t('editDetails')}>
      <div className="row section-head">
        <h2 className="grow">{t('editDetails')}</h2>
        <button type="submit" className="btn btn-small btn-primary" disabled={saving || invalid}>
          {t('save')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setEditing(false)} disabled={saving}>
          {t('common:cancel')}
        </button>
      </div>
      {resumed && (
        <p className="muted" role="status">
          {t('unsavedKept')}
        </p>
      )}
      {groups.map((g) => (
        <fieldset key={g.key} className="meta-group">
          <legend>{t(`groups.${g.key}`)}</legend>
          {g.fields.map((spec) => {
            if (spec.protected && !revealed) return null;
            const id = `meta-${spec.name}`;
            const problem = errors[spec.name] ?? serverErrors[spec.name];
            const common = {
              id,
              name: spec.name,
              value: values[spec.name] ?? '',
              'aria-invalid': problem ? true : undefined,
              'aria-describedby': problem ? `${id}-error` : spec.kind === 'date' ? `${id}-hint` : undefined,
              'data-protected': spec.protected || undefined,
              onChange: (e: { target: { value: string } }) => {
                const value = e.target.value;
                setValues((v) => ({ ...v, [spec.name]: value }));
                setServerErrors((s) => {
                  if (!(spec.name in s)) return s;
                  const next = { ...s };
                  delete next[spec.name];
                  return next;
                });
              },
            };
            return (
              <div key={spec.name} className="field">
                <label htmlFor={id}>
                  {t(`fields.${spec.name}`)}
                  {spec.protected && <Icon name="lock" size={12} />}
                </label>
                {spec.kind === 'sensitivity' ? (
                  <select {...common} className="select">
                    {SENSITIVITIES.map((s) => (
                      <option key={s} value={s}>
                        {t(`common:sensitivity.${s}`)}
                      </option>
                    ))}
                  </select>
                ) : spec.kind === 'long' ? (
                  <textarea {...common} className="textarea" dir="auto" rows={spec.name === 'description' ? 4 : 2} />
                ) : (
                  <input
                    {...common}
                    className="input"
                    dir={spec.kind === 'url' || spec.kind === 'date' || spec.kind === 'language' ? 'ltr' : 'auto'}
                    placeholder={spec.kind === 'date' ? t('datePlaceholder') : spec.kind === 'language' ? 'ar, en, ckb' : undefined}
                  />
                )}
                {problem ? (
                  <span id={`${id}-error`} className="field-error" role="alert">
                    {problem}
                  </span>
                ) : (
                  spec.kind === 'date' && (
                    <span id={`${id}-hint`} className="field-hint">
                      {t('dateHint')}
                    </span>
                  )
                )}
              </div>
            );
          })}
          {g.fields.some((f) => f.protected) && !revealed && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                // The button goes as the fields come: the first of them takes the focus.
                focusAfter.current = () => form.current?.querySelector<HTMLElement>('[data-protected]')?.focus();
                setRevealed(true);
              }}
            >
              <Icon name="lock" size={14} />
              {t('testimony.revealToEdit')}
            </button>
          )}
        </fieldset>
      ))}
      {formError && (
        <div className="error-box" role="alert">
          {formError}
        </div>
      )}
      <div className="row form-actions">
        <button type="submit" className="btn btn-primary" disabled={saving || invalid}>
          {saving && <span className="spinner" />}
          {t('save')}
        </button>
        <button type="button" className="btn" onClick={() => setEditing(false)} disabled={saving}>
          {t('common:cancel')}
        </button>
      </div>
    </form>
  );
}
