// A new note: a title and text written in Sijil, with a language, tags and collections. The
// engine validates; what it refuses is shown next to the field concerned.
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { EngineFormModal, useDraft, useEngineForm, type Draft, type FieldErrors } from './EngineForm.tsx';
import { Field } from './Field.tsx';
import { LanguageInput, languageProblem } from './LanguageInput.tsx';
import { splitLabels } from './labels.ts';
import './import.css';

export interface NewNoteProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: (id: string) => void;
}

const FIELDS = ['title', 'body', 'language', 'tags', 'collections'] as const;
type FieldName = (typeof FIELDS)[number];

const EMPTY = { title: '', body: '', language: '', tags: '', collections: '' };

export function NewNote(props: NewNoteProps) {
  const draft = useDraft(EMPTY);
  return props.open ? <NewNoteForm {...props} draft={draft} /> : null;
}

function NewNoteForm({ onClose, onCreated, draft }: NewNoteProps & { draft: Draft<typeof EMPTY> }) {
  const { t } = useTranslation('import');
  const { title, body, language, tags, collections } = draft.value;
  const form = useEngineForm<FieldName>({
    fields: FIELDS,
    check: () => {
      const found: FieldErrors<FieldName> = {};
      if (title.trim() === '') found.title = t('form.titleRequired');
      const langProblem = languageProblem(language);
      if (langProblem) found.language = t(langProblem);
      return found;
    },
    save: async () => {
      const item = await api.call('items.addNote', {
        title: title.trim(),
        body,
        language: language.trim() || null,
        tags: splitLabels(tags),
        collections: splitLabels(collections),
      });
      draft.clear();
      onCreated(item.id);
      onClose();
    },
  });
  const { errors } = form;

  return (
    <EngineFormModal id="new-note-form" title={t('note.title')} saveLabel={t('note.save')} saveTestId="new-note-save" className="new-note" onClose={onClose} form={form} draft={draft}>
      <Field label={t('form.title')} error={errors.title} className="span-2">
        {(p) => <input {...p} className="input" dir="auto" value={title} onChange={(e) => draft.set('title', e.target.value)} data-autofocus maxLength={2000} />}
      </Field>
      <Field label={t('note.body')} error={errors.body} className="span-2">
        {(p) => <textarea {...p} className="textarea" dir="auto" rows={10} value={body} onChange={(e) => draft.set('body', e.target.value)} />}
      </Field>
      <Field label={t('form.language')} hint={t('form.languageHint')} error={errors.language}>
        {(p) => <LanguageInput {...p} value={language} onChange={(v) => draft.set('language', v)} />}
      </Field>
      <Field label={t('tags')} hint={t('labelsHint')} error={errors.tags}>
        {(p) => <input {...p} className="input" dir="auto" value={tags} onChange={(e) => draft.set('tags', e.target.value)} />}
      </Field>
      <Field label={t('collections')} error={errors.collections} className="span-2">
        {(p) => <input {...p} className="input" dir="auto" value={collections} onChange={(e) => draft.set('collections', e.target.value)} />}
      </Field>
    </EngineFormModal>
  );
}
