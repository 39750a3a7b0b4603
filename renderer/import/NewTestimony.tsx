// A new testimony: who speaks (an alias), their protected identity (name, contact, notes: hidden
// until revealed and never in a redacted export, and marked so here), how they relate to the
// case, who interviewed them, their consent, when and where, the recording, and transcripts and
// translations as text files. Files become engine paths one by one (so each keeps its role), then
// items.addTestimony runs; what the engine refuses is shown next to the field concerned.
import { useTranslation } from 'react-i18next';
import { SENSITIVITIES, type Sensitivity } from '../../shared/domain.ts';
import { dateProblem } from '../../shared/vocabulary.ts';
import { api, ApiError } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { formatBytes } from '../format.ts';
import { EngineFormModal, useDraft, useEngineForm, type Draft, type FieldErrors } from './EngineForm.tsx';
import { Field } from './Field.tsx';
import { FilePick } from './FilePick.tsx';
import { LanguageInput, languageProblem } from './LanguageInput.tsx';
import { splitLabels } from './labels.ts';
import './import.css';

export interface NewTestimonyProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: (id: string) => void;
}

const FIELDS = [
  'title',
  'speakerAlias',
  'speakerName',
  'speakerContact',
  'relationToCase',
  'interviewer',
  'consent',
  'protectedNotes',
  'language',
  'eventDate',
  'place',
  'description',
  'sensitivity',
  'recording',
  'transcripts',
  'tags',
  'collections',
] as const;
type FieldName = (typeof FIELDS)[number];
type TextField = Exclude<FieldName, 'sensitivity' | 'recording' | 'transcripts'>;

interface TextFile {
  readonly file: File;
  readonly role: 'transcript' | 'translation';
  readonly language: string;
}

type TestimonyDraft = Record<TextField, string> & { sensitivity: Sensitivity; recording: File | null; texts: readonly TextFile[] };

const EMPTY: TestimonyDraft = {
  ...(Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<TextField, string>),
  sensitivity: 'sensitive',
  recording: null,
  texts: [],
};

export function NewTestimony(props: NewTestimonyProps) {
  const draft = useDraft(EMPTY);
  return props.open ? <NewTestimonyForm {...props} draft={draft} /> : null;
}

function NewTestimonyForm({ onClose, onCreated, draft }: NewTestimonyProps & { draft: Draft<TestimonyDraft> }) {
  const { t } = useTranslation('import');
  const values = draft.value;
  const { sensitivity, recording, texts } = values;
  const setSensitivity = (v: Sensitivity) => draft.set('sensitivity', v);
  const setRecording = (v: File | null) => draft.set('recording', v);
  const setTexts = (change: (all: readonly TextFile[]) => readonly TextFile[]) => draft.update('texts', change);
  const set = (field: TextField) => (value: string) => draft.set(field, value);
  const text = (field: TextField, options: { multiline?: boolean; rows?: number } = {}) =>
    function Control(p: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) {
      return options.multiline ? (
        <textarea {...p} className="textarea" dir="auto" rows={options.rows ?? 3} value={values[field]} onChange={(e) => set(field)(e.target.value)} />
      ) : (
        <input {...p} className="input" dir="auto" value={values[field]} onChange={(e) => set(field)(e.target.value)} data-autofocus={field === 'title' || undefined} />
      );
    };

  const nullable = (v: string) => (v.trim() === '' ? null : v.trim());

  const form = useEngineForm<FieldName>({
    fields: FIELDS,
    check: () => {
      const found: FieldErrors<FieldName> = {};
      if (values.title.trim() === '') found.title = t('form.titleRequired');
      const date = values.eventDate.trim();
      const dateWrong = date === '' ? null : dateProblem(date);
      if (dateWrong !== null) found.eventDate = dateWrong === 'calendar' ? t('common:dateNotOnCalendar') : t('form.dateInvalid');
      const langProblem = languageProblem(values.language);
      if (langProblem) found.language = t(langProblem);
      const badText = texts.find((x) => languageProblem(x.language));
      if (badText) found.transcripts = t('form.languageInvalid');
      return found;
    },
    save: async () => {
      // One file per call: each path must stay paired with its file's role and language.
      const files = [...(recording ? [recording] : []), ...texts.map((x) => x.file)];
      const paths: string[] = [];
      for (const [i, file] of files.entries()) {
        form.setStatus(t('testimony.sending', { done: i + 1, total: files.length, name: file.name }));
        paths.push(await api.fileToPath(file));
      }
      form.setStatus(t('form.saving'));
      const textPaths = recording ? paths.slice(1) : paths;
      const item = await api.call('items.addTestimony', {
        title: values.title.trim(),
        speakerAlias: nullable(values.speakerAlias),
        speakerName: nullable(values.speakerName),
        speakerContact: nullable(values.speakerContact),
        relationToCase: nullable(values.relationToCase),
        interviewer: nullable(values.interviewer),
        consent: nullable(values.consent),
        protectedNotes: nullable(values.protectedNotes),
        language: nullable(values.language),
        eventDate: nullable(values.eventDate),
        place: nullable(values.place),
        description: values.description,
        sensitivity,
        recording: recording ? (paths[0] ?? null) : null,
        transcripts: texts.map((x, i) => ({ path: textPaths[i] as string, role: x.role, language: nullable(x.language) })),
        tags: splitLabels(values.tags),
        collections: splitLabels(values.collections),
      });
      draft.clear();
      onCreated(item.id);
      onClose();
    },
    // A file the engine refuses (not a recording, not text) names its path: shown by the files.
    place: (code, message, err) =>
      code === 'unsupported-file' || code === 'file-unreadable'
        ? { [recording && err instanceof ApiError && err.phrase?.key === 'archive.testimony.notRecording' ? 'recording' : 'transcripts']: message }
        : null,
  });
  const { errors } = form;

  return (
    <EngineFormModal
      id="new-testimony-form"
      title={t('testimony.title')}
      saveLabel={t('testimony.save')}
      saveTestId="new-testimony-save"
      className="new-testimony"
      onClose={onClose}
      form={form}
      draft={draft}
    >
      <Field label={t('form.title')} hint={t('testimony.titleHint')} error={errors.title} className="span-2">
        {text('title')}
      </Field>
      <Field label={t('testimony.speakerAlias')} hint={t('testimony.speakerAliasHint')} error={errors.speakerAlias}>
        {text('speakerAlias')}
      </Field>
      <Field label={t('testimony.relationToCase')} hint={t('testimony.relationHint')} error={errors.relationToCase}>
        {text('relationToCase')}
      </Field>

      <fieldset className="protected-group" data-testid="protected-fields">
        <legend>
          <Icon name="lock" size={16} /> {t('testimony.protectedTitle')}
        </legend>
        <p className="field-hint">{t('testimony.protectedHint')}</p>
        <Field label={t('testimony.speakerName')} error={errors.speakerName}>
          {text('speakerName')}
        </Field>
        <Field label={t('testimony.speakerContact')} error={errors.speakerContact}>
          {text('speakerContact')}
        </Field>
        <Field label={t('testimony.protectedNotes')} error={errors.protectedNotes} className="span-2">
          {text('protectedNotes', { multiline: true })}
        </Field>
      </fieldset>

      <Field label={t('testimony.interviewer')} error={errors.interviewer}>
        {text('interviewer')}
      </Field>
      <Field label={t('form.language')} hint={t('form.languageHint')} error={errors.language}>
        {(p) => <LanguageInput {...p} value={values.language} onChange={set('language')} />}
      </Field>
      <Field label={t('testimony.consent')} hint={t('testimony.consentHint')} error={errors.consent} className="span-2">
        {text('consent', { multiline: true, rows: 2 })}
      </Field>
      <Field label={t('testimony.eventDate')} hint={t('form.dateHint')} error={errors.eventDate}>
        {(p) => (
          <input {...p} className="input" dir="ltr" value={values.eventDate} onChange={(e) => set('eventDate')(e.target.value)} placeholder="2019-10-25" />
        )}
      </Field>
      <Field label={t('testimony.place')} error={errors.place}>
        {text('place')}
      </Field>
      <Field label={t('testimony.description')} error={errors.description} className="span-2">
        {text('description', { multiline: true })}
      </Field>
      <Field label={t('testimony.sensitivity')} hint={t(`sensitivityHint.${sensitivity}`)} error={errors.sensitivity}>
        {(p) => (
          <select {...p} className="select" value={sensitivity} onChange={(e) => setSensitivity(e.target.value as Sensitivity)}>
            {SENSITIVITIES.map((s) => (
              <option key={s} value={s}>
                {t(`sensitivity.${s}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="field">
        <span className="field-label">{t('testimony.recording')}</span>
        <div className="file-slot">
          {recording ? (
            <>
              <bdi>{recording.name}</bdi>
              <span className="faint">{formatBytes(recording.size)}</span>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => setRecording(null)}>
                {t('remove')}
              </button>
            </>
          ) : (
            <FilePick accept="audio/*,video/*" onPick={(f) => setRecording(f[0] ?? null)} testId="testimony-recording-input">
              {t('testimony.chooseRecording')}
            </FilePick>
          )}
        </div>
        {errors.recording && <span className="field-error">{errors.recording}</span>}
      </div>

      <div className="field span-2">
        <span className="field-label">{t('testimony.texts')}</span>
        {texts.map((x, i) => (
          <div key={`${x.file.name}:${i}`} className="transcript-row">
            <bdi>{x.file.name}</bdi>
            <select
              className="select"
              aria-label={t('testimony.textRole')}
              value={x.role}
              onChange={(e) => setTexts((all) => all.map((y, j) => (j === i ? { ...y, role: e.target.value as TextFile['role'] } : y)))}
            >
              <option value="transcript">{t('testimony.transcript')}</option>
              <option value="translation">{t('testimony.translation')}</option>
            </select>
            <input
              className="input"
              style={{ inlineSize: '7em' }}
              dir="ltr"
              aria-label={t('form.language')}
              placeholder="ar, en…"
              value={x.language}
              onChange={(e) => setTexts((all) => all.map((y, j) => (j === i ? { ...y, language: e.target.value } : y)))}
            />
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setTexts((all) => all.filter((_, j) => j !== i))}>
              {t('remove')}
            </button>
          </div>
        ))}
        <div>
          <FilePick
            multiple
            accept=".txt,.md,.srt,.vtt,text/plain"
            onPick={(files) =>
              setTexts((all) => [...all, ...files.map((file) => ({ file, role: all.length === 0 && files[0] === file ? ('transcript' as const) : ('translation' as const), language: '' }))])
            }
            testId="testimony-text-input"
          >
            {t('testimony.addText')}
          </FilePick>
        </div>
        <span className="field-hint">{t('testimony.textsHint')}</span>
        {errors.transcripts && <span className="field-error">{errors.transcripts}</span>}
      </div>

      <Field label={t('tags')} hint={t('labelsHint')} error={errors.tags}>
        {text('tags')}
      </Field>
      <Field label={t('collections')} error={errors.collections}>
        {text('collections')}
      </Field>
    </EngineFormModal>
  );
}
