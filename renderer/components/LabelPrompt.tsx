// Asks for one tag or collection name, offering the archive's existing ones as suggestions.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { Modal } from './Modal.tsx';
import { useOnOpen } from './useOnOpen.ts';
import { MAX_LABEL_CHARS, type LabelKind } from '../../shared/vocabulary.ts';

export interface LabelPromptProps {
  open: boolean;
  kind: LabelKind;
  title: string;
  /** The submit button's words. */
  action: string;
  /** The name the field starts with (a rename starts from the old one). */
  initial?: string;
  /** The field's label; the kind's own by default. */
  fieldLabel?: string;
  /** A sentence under the field: what the action will do. */
  note?: string;
  onClose: () => void;
  onSubmit: (name: string) => void;
}

export function LabelPrompt({ open, kind, title, action, initial = '', fieldLabel, note, onClose, onSubmit }: LabelPromptProps) {
  const { t } = useTranslation('library');
  const [name, setName] = useState('');
  const [known, setKnown] = useState<string[]>([]);
  const listId = useId();
  const inputId = useId();

  useOnOpen(open, initial, () => setName(initial));
  useEffect(() => {
    if (!open) return;
    let live = true;
    const load = kind === 'tag' ? api.call('labels.tags', {}) : api.call('labels.collections', {});
    load.then((labels) => live && setKnown(labels.map((l) => l.name)), () => undefined);
    return () => {
      live = false;
    };
  }, [open, kind, initial]);

  const trimmed = name.trim();
  const submit = () => {
    if (trimmed) onSubmit(trimmed);
  };

  return (
    <Modal
      open={open}
      onClose={onClose}
      title={title}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common:cancel')}
          </button>
          <button type="submit" form={`${inputId}-form`} className="btn btn-primary" disabled={!trimmed}>
            {action}
          </button>
        </>
      }
    >
      <form
        id={`${inputId}-form`}
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label htmlFor={inputId}>{fieldLabel ?? t(kind === 'tag' ? 'tagName' : 'collectionName')}</label>
        <input
          id={inputId}
          className="input"
          list={listId}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={MAX_LABEL_CHARS}
          data-autofocus
          dir="auto"
          aria-describedby={note ? `${inputId}-note` : undefined}
        />
        {note && (
          <p id={`${inputId}-note`} className="field-hint">
            {note}
          </p>
        )}
        <datalist id={listId}>
          {known.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </form>
    </Modal>
  );
}
