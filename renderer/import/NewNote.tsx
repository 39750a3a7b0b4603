// A new note: a title and text written in Sijil, with a language, tags and collections. The
// engine validates; what it refuses is shown next to the field concerned.
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { useFocusFirstError } from './useFocusFirstError.ts';
import { Field } from './Field.tsx';
import { engineFieldError } from './fieldErrors.ts';
import { LanguageInput, languageProblem } from './LanguageInput.tsx';
import { Modal } from '../components/Modal.tsx';
import { splitLabels } from './labels.ts';
import './import.css';

export interface NewNoteProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: (id: string) => void;
}

const FIELDS = ['title', 'body', 'language', 'tags', 'collections'] as const;
type FieldName = (typeof FIELDS)[number];

export function NewNote(props: NewNoteProps) {
  return props.open ? <NewNoteForm {...props} /> : null;
}

function NewNoteForm({ onClose, onCreated }: NewNoteProps) {
  const { t } = useTranslation('import');
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [language, setLanguage] = useState('');
  const [tags, setTags] = useState('');
  const [collections, setCollections] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<FieldName, string>> = {};
    if (title.trim() === '') found.title = t('form.titleRequired');
    const langProblem = languageProblem(language);
    if (langProblem) found.language = t(langProblem);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      const item = await api.call('items.addNote', {
        title: title.trim(),
        body,
        language: language.trim() || null,
        tags: splitLabels(tags),
        collections: splitLabels(collections),
      });
      onCreated(item.id);
      onClose();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'internal';
      const message = err instanceof Error ? err.message : String(err);
      const where = engineFieldError(code, message, FIELDS);
      if (where.field) setErrors({ [where.field]: where.message });
      else setFormError(where.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open
      title={t('note.title')}
      onClose={onClose}
      busy={saving}
      wide
      className="new-note"
      footer={
        <>
          <button type="button" className="btn" onClick={onClose} disabled={saving}>
            {t('cancel')}
          </button>
          <button type="submit" form="new-note-form" className="btn btn-primary" disabled={saving} data-testid="new-note-save">
            {saving ? t('form.saving') : t('note.save')}
          </button>
        </>
      }
    >
      <form id="new-note-form" ref={formRef} className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {formError && (
          <p className="error-box span-2 form-error-summary" role="alert">
            {formError}
          </p>
        )}
        <Field label={t('form.title')} error={errors.title} className="span-2">
          {(p) => <input {...p} className="input" dir="auto" value={title} onChange={(e) => setTitle(e.target.value)} autoFocus maxLength={2000} />}
        </Field>
        <Field label={t('note.body')} error={errors.body} className="span-2">
          {(p) => <textarea {...p} className="textarea" dir="auto" rows={10} value={body} onChange={(e) => setBody(e.target.value)} />}
        </Field>
        <Field label={t('form.language')} hint={t('form.languageHint')} error={errors.language}>
          {(p) => <LanguageInput {...p} value={language} onChange={setLanguage} />}
        </Field>
        <Field label={t('tags')} hint={t('labelsHint')} error={errors.tags}>
          {(p) => <input {...p} className="input" dir="auto" value={tags} onChange={(e) => setTags(e.target.value)} />}
        </Field>
        <Field label={t('collections')} error={errors.collections} className="span-2">
          {(p) => <input {...p} className="input" dir="auto" value={collections} onChange={(e) => setCollections(e.target.value)} />}
        </Field>
      </form>
    </Modal>
  );
}
