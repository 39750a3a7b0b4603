// Short messages at the bottom of the window, read out by screen readers, some with an action
// ("Undo" after a delete). They leave on their own after a while.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { makeRoom } from './toastRoom.ts';

export interface Toast {
  readonly message: string;
  readonly tone?: 'info' | 'error';
  readonly action?: { readonly label: string; readonly run: () => void };
}

interface ShownToast extends Toast {
  readonly id: number;
}

const ToastContext = createContext<(toast: Toast) => void>(() => undefined);

export function useToast(): (toast: Toast) => void {
  return useContext(ToastContext);
}

const LIFETIME_MS = 8000;
const MAX_SHOWN = 3;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ShownToast[]>([]);
  const next = useRef(1);
  const { t } = useTranslation('common');

  // Toasts the pointer or focus is in: a new one never pushes these out.
  const held = useRef(new Set<number>());
  const dismiss = useCallback((id: number) => {
    held.current.delete(id);
    setToasts((list) => list.filter((x) => x.id !== id));
  }, []);
  const show = useCallback((toast: Toast) => {
    const id = next.current++;
    setToasts((list) => [...makeRoom(list, held.current, MAX_SHOWN - 1), { ...toast, id }]);
  }, []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toast-region" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <ToastView
            key={toast.id}
            toast={toast}
            onDismiss={() => dismiss(toast.id)}
            onHold={(on) => (on ? held.current.add(toast.id) : held.current.delete(toast.id))}
            closeLabel={t('dismiss')}
          />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onDismiss, onHold, closeLabel }: { toast: ShownToast; onDismiss: () => void; onHold: (held: boolean) => void; closeLabel: string }) {
  // A toast stays while the pointer is on it or focus is in it: an "Undo" reached by Tab, or read
  // slowly, must not vanish from under the person (WCAG 2.2.1). Its time starts again after.
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  // Where focus was before it came into the toast: it goes back there when the toast leaves by
  // its own buttons, instead of falling to <body> with them.
  const cameFrom = useRef<HTMLElement | null>(null);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  const held = hovered || focused;
  const hold = useRef(onHold);
  hold.current = onHold;
  useEffect(() => {
    hold.current(held);
    if (held) return;
    const timer = setTimeout(() => dismiss.current(), LIFETIME_MS);
    return () => clearTimeout(timer);
  }, [held]);
  const leave = () => {
    const back = cameFrom.current;
    onDismiss();
    if (back?.isConnected) back.focus();
  };
  return (
    <div
      className={`toast${toast.tone === 'error' ? ' toast-error' : ''}`}
      onPointerEnter={() => setHovered(true)}
      onPointerLeave={() => setHovered(false)}
      onFocus={(e) => {
        if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
        cameFrom.current = e.relatedTarget instanceof HTMLElement ? e.relatedTarget : null;
        setFocused(true);
      }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocused(false);
      }}
    >
      <span>{toast.message}</span>
      {toast.action && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            toast.action?.run();
            leave();
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="btn btn-small btn-ghost" onClick={leave} aria-label={closeLabel}>
        ×
      </button>
    </div>
  );
}
