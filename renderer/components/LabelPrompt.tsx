// Asks for one tag or collection name, offering the archive's existing ones as suggestions.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { formatNumber } from '../format.ts';
import { Modal } from './Modal.tsx';

export interface LabelPromptProps {
  open: boolean;
  kind: 'tag' | 'collection';
  /** How many items the name will be given to (for the title). */
  count: number;
  onClose: () => void;
  onSubmit: (name: string) => void;
}

export function LabelPrompt({ open, kind, count, onClose, onSubmit }: LabelPromptProps) {
  const { t } = useTranslation('library');
  const [name, setName] = useState('');
  const [known, setKnown] = useState<string[]>([]);
  const listId = useId();
  const inputId = useId();

  useEffect(() => {
    if (!open) return;
    setName('');
    let live = true;
    const load = kind === 'tag' ? api.call('labels.tags', {}) : api.call('labels.collections', {});
    load.then((labels) => live && setKnown(labels.map((l) => l.name)), () => undefined);
    return () => {
      live = false;
    };
  }, [open, kind]);

  const trimmed = name.trim();
  const submit = () => {
    if (trimmed) onSubmit(trimmed);
  };

  return (
    <Modal
      open={open}
      onClose={onClose}
      title={t(kind === 'tag' ? 'tagPromptTitle' : 'collectionPromptTitle', { count, formatted: formatNumber(count) })}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('common:cancel')}
          </button>
          <button type="submit" form={`${inputId}-form`} className="btn btn-primary" disabled={!trimmed}>
            {t(kind === 'tag' ? 'addTag' : 'addToCollection')}
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
        <label htmlFor={inputId}>{t(kind === 'tag' ? 'tagName' : 'collectionName')}</label>
        <input id={inputId} className="input" list={listId} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus dir="auto" />
        <datalist id={listId}>
          {known.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </form>
    </Modal>
  );
}
