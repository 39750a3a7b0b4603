// After a refused submit, the keyboard lands on the first field that needs attention (its error
// is announced through aria-describedby), instead of staying on the button.
import { useEffect, type RefObject } from 'react';

export function useFocusFirstError(form: RefObject<HTMLElement | null>, errors: object): void {
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [form, errors]);
}
