// A new note: a title and text written in Sijil, with a language, tags and collections. The
// engine validates; what it refuses is shown next to the field concerned.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { EngineFormModal, useEngineForm, type FieldErrors } from './EngineForm.tsx';
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
      onCreated(item.id);
      onClose();
    },
  });
  const { errors } = form;

  return (
    <EngineFormModal id="new-note-form" title={t('note.title')} saveLabel={t('note.save')} saveTestId="new-note-save" className="new-note" onClose={onClose} form={form}>
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
    </EngineFormModal>
  );
}
