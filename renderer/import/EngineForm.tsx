// A form in a dialog whose submit is one call to the engine (a new note, a new testimony): checked
// here first, then saved; what the engine refuses is shown next to the field it names, or above
// the form when it names none. The footer is Cancel (Discard draft once something is written)
// and Save, with a status line while saving takes steps.
import { useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { Modal } from '../components/Modal.tsx';
import { engineFieldError } from './fieldErrors.ts';
import { useFocusFirstError } from './useFocusFirstError.ts';

export type FieldErrors<F extends string> = Partial<Record<F, string>>;

export interface EngineFormOptions<F extends string> {
  /** The top-level arguments of the call: an engine message naming one of them goes to its field. */
  readonly fields: readonly F[];
  /** What can be told before asking the engine; any error found stops the submit. */
  readonly check: () => FieldErrors<F>;
  readonly save: () => Promise<void>;
  /** A refusal this form places itself (engineFieldError found no field); null to show it above the form. */
  readonly place?: (code: string, message: string, err: unknown) => FieldErrors<F> | null;
}

export interface EngineForm<F extends string> {
  readonly errors: FieldErrors<F>;
  readonly formError: string | null;
  readonly saving: boolean;
  /** A step of a save that takes several ("Sending recording.mp4…"), shown in the footer. */
  readonly status: string | null;
  readonly setStatus: (status: string | null) => void;
  readonly formRef: RefObject<HTMLFormElement | null>;
  readonly onSubmit: (e: FormEvent) => void;
}

export function useEngineForm<F extends string>({ fields, check, save, place }: EngineFormOptions<F>): EngineForm<F> {
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstError(formRef, errors);

  const submit = async () => {
    const found = check();
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    try {
      await save();
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'internal';
      const where = engineFieldError(err, fields);
      const placed = where.field ? ({ [where.field]: where.message } as FieldErrors<F>) : (place?.(code, where.message, err) ?? null);
      if (placed) setErrors(placed);
      else setFormError(where.message);
    } finally {
      setSaving(false);
      setStatus(null);
    }
  };

  return {
    errors,
    formError,
    saving,
    status,
    setStatus,
    formRef,
    onSubmit: (e) => {
      e.preventDefault();
      void submit();
    },
  };
}

/**
 * What a new-item form holds, kept by the component that outlives its dialog: closed by Escape or
 * its × (a slip of the key, a look at something else), the dialog opens again on what was
 * written. Only a save or Discard draft empties it.
 */
export interface Draft<T> {
  readonly value: T;
  readonly set: <K extends keyof T>(field: K, value: T[K]) => void;
  /** Changes a field from its latest value (a list added to or taken from). */
  readonly update: <K extends keyof T>(field: K, change: (value: T[K]) => T[K]) => void;
  /** Anything differs from the empty form. */
  readonly dirty: boolean;
  readonly clear: () => void;
}

/** Equal as a form shows them: lists by their entries (a file added, then removed, is no change). */
function same(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
}

export function useDraft<T extends object>(empty: T): Draft<T> {
  const [value, setValue] = useState(empty);
  return {
    value,
    set: (field, v) => setValue((d) => ({ ...d, [field]: v })),
    update: (field, change) => setValue((d) => ({ ...d, [field]: change(d[field]) })),
    dirty: (Object.keys(empty) as (keyof T)[]).some((k) => !same(value[k], empty[k])),
    clear: () => setValue(empty),
  };
}

export interface EngineFormModalProps {
  /** The form's id (the footer's Save button submits it from outside the form). */
  readonly id: string;
  readonly title: ReactNode;
  readonly saveLabel: ReactNode;
  readonly saveTestId: string;
  readonly className: string;
  readonly onClose: () => void;
  readonly form: EngineForm<string>;
  /** The form's draft: once written in, Cancel becomes Discard draft (closing keeps it). */
  readonly draft: Pick<Draft<object>, 'dirty' | 'clear'>;
  readonly children: ReactNode;
}

export function EngineFormModal({ id, title, saveLabel, saveTestId, className, onClose, form, draft, children }: EngineFormModalProps) {
  const { t } = useTranslation('import');
  // Opened on a draft kept from before: said, so that what someone else typed is not taken as new.
  const [keptOnOpen] = useState(draft.dirty);
  return (
    <Modal
      open
      title={title}
      onClose={onClose}
      busy={form.saving}
      wide
      className={className}
      footer={
        <>
          {form.status && (
            <span className="grow muted" role="status">
              {form.status}
            </span>
          )}
          {draft.dirty ? (
            <button
              type="button"
              className="btn"
              onClick={() => {
                draft.clear();
                onClose();
              }}
              disabled={form.saving}
            >
              {t('discardDraft')}
            </button>
          ) : (
            <button type="button" className="btn" onClick={onClose} disabled={form.saving}>
              {t('cancel')}
            </button>
          )}
          <button type="submit" form={id} className="btn btn-primary" disabled={form.saving} data-testid={saveTestId}>
            {form.saving ? t('form.saving') : saveLabel}
          </button>
        </>
      }
    >
      {keptOnOpen && (
        <p className="muted" role="status">
          {t('draftKept')}
        </p>
      )}
      <form id={id} ref={form.formRef} className="form-grid" onSubmit={form.onSubmit} noValidate>
        {form.formError && (
          <p className="error-box span-2 form-error-summary" role="alert">
            {form.formError}
          </p>
        )}
        {children}
      </form>
    </Modal>
  );
}
