// A button that opens the system's file chooser (files, or a whole folder) and hands back the
// chosen Files. The input is hidden; the button is what the keyboard reaches.
import { useRef, type ReactNode } from 'react';

export interface FilePickProps {
  readonly onPick: (files: File[]) => void;
  readonly children: ReactNode;
  readonly multiple?: boolean;
  /** Choose a folder: every file inside it, with its place in the folder kept. */
  readonly folder?: boolean;
  readonly accept?: string;
  readonly disabled?: boolean;
  readonly className?: string;
  readonly testId?: string;
}

export function FilePick({ onPick, children, multiple = false, folder = false, accept, disabled, className = 'btn', testId }: FilePickProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className} onClick={() => input.current?.click()} disabled={disabled}>
        {children}
      </button>
      <input
        ref={(el) => {
          input.current = el;
          // Not in React's typings: set as plain attributes.
          if (el && folder) {
            el.setAttribute('webkitdirectory', '');
            el.setAttribute('directory', '');
          }
        }}
        type="file"
        hidden
        multiple={multiple || folder}
        accept={accept}
        tabIndex={-1}
        data-testid={testId}
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          // Cleared so that choosing the same file again still fires a change.
          e.target.value = '';
          if (files.length > 0) onPick(files);
        }}
      />
    </>
  );
}
