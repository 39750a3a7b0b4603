// What a collection (a case) is about, under its title in the library, and the dialog that
// changes it. The description travels with the collection in bundles, so a partner reads it too.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_COLLECTION_DESCRIPTION } from '../../shared/vocabulary.ts';
import { api } from '../api.ts';
import { Modal } from '../components/Modal.tsx';
import { useToast } from '../components/Toasts.tsx';
import { errorMessage } from '../errors.ts';

export interface CollectionDescriptionProps {
  /** The collection's name as the library filter holds it. */
  name: string;
  /** Changes when the archive does: the description is read again. */
  revision: number;
  /** After a save: the sidebar shows the description too. */
  onChanged: () => void;
}

export function CollectionDescription({ name, revision, onChanged }: CollectionDescriptionProps) {
  const { t } = useTranslation('library');
  const toast = useToast();
  const [description, setDescription] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [saving, setSaving] = useState(false);
  const fieldId = useId();

  useEffect(() => {
    let live = true;
    api.call('labels.collections', {}).then(
      (list) => live && setDescription(list.find((c) => c.name === name)?.description ?? ''),
      () => live && setDescription(''),
    );
    return () => {
      live = false;
    };
  }, [name, revision]);

  const open = () => {
    setDraft(description ?? '');
    setEditing(true);
  };
  const save = async () => {
    setSaving(true);
    try {
      const saved = await api.call('labels.describe', { name, description: draft });
      setDescription(saved.description);
      setEditing(false);
      onChanged();
      toast({ message: t(saved.description ? 'descriptionSaved' : 'descriptionCleared', { name: saved.name }) });
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    } finally {
      setSaving(false);
    }
  };

  if (description === null) return null;
  return (
    <>
      {description && (
        <p className="collection-description" dir="auto" data-testid="collection-description">
          {description}
        </p>
      )}
      <button type="button" className="btn btn-ghost btn-small collection-describe" onClick={open}>
        {t(description ? 'editDescription' : 'addDescription')}
      </button>
      <Modal
        open={editing}
        onClose={() => setEditing(false)}
        busy={saving}
        title={t('descriptionTitle', { name })}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setEditing(false)} disabled={saving}>
              {t('common:cancel')}
            </button>
            <button type="submit" form={`${fieldId}-form`} className="btn btn-primary" disabled={saving}>
              {t('saveDescription')}
            </button>
          </>
        }
      >
        <form
          id={`${fieldId}-form`}
          className="field"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label htmlFor={fieldId}>{t('descriptionLabel')}</label>
          <textarea
            id={fieldId}
            className="textarea"
            dir="auto"
            rows={6}
            value={draft}
            maxLength={MAX_COLLECTION_DESCRIPTION}
            onChange={(e) => setDraft(e.target.value)}
            aria-describedby={`${fieldId}-hint`}
            data-autofocus
          />
          <p id={`${fieldId}-hint`} className="field-hint">
            {t('descriptionHint')}
          </p>
        </form>
      </Modal>
    </>
  );
}
