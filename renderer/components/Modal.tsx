// A modal on the native <dialog>: the browser traps focus and closes it on Escape. Used by every
// dialog in the app (helper E's too).
//
// Focus is placed here, not left to the browser or to React:
// - React's autoFocus focuses a field while its <dialog> is still closed, where focus cannot go,
//   and showModal() then focuses the first control, the × button: typed text went nowhere and
//   Enter closed the dialog. A field marked data-autofocus gets focus once the dialog is open.
// - The browser gives focus back to the opener only if focus is still in the dialog when it
//   closes, and the content (with the focus in it) is taken out of the page first, or the whole
//   dialog while open: focus fell to <body>, and the next Tab started again at the top.
import { useId, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from './Icon.tsx';

export interface ModalProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** While work runs that closing would abandon, Escape and the close button do nothing. */
  busy?: boolean;
  className?: string;
}

export function Modal({ open, onClose, title, children, footer, wide, busy, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { t } = useTranslation('common');

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const active = document.activeElement;
    const opener = active instanceof HTMLElement && active !== document.body && !dialog.contains(active) ? active : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      const now = document.activeElement;
      if (opener?.isConnected && (now === null || now === document.body || dialog.contains(now))) opener.focus();
    };
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`dialog${wide ? ' dialog-wide' : ''}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onClose();
      }}
    >
      {open && (
        <div className="dialog-inner">
          <div className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn btn-ghost btn-icon" onClick={onClose} disabled={busy} aria-label={t('close')}>
              <Icon name="close" />
            </button>
          </div>
          <div className="dialog-body">{children}</div>
          {footer && <div className="dialog-footer">{footer}</div>}
        </div>
      )}
    </dialog>
  );
}
