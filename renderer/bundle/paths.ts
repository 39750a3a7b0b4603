// Where a new bundle goes unless the person says otherwise: beside the archive folder (it exists,
// it is on this machine, and the archive folder itself stays the archive's), named after what it
// holds and the day. The engine does not create folders, so the default must be one that exists.
export interface SelectionLike {
  readonly ids?: readonly string[];
  readonly collection?: string;
  readonly query?: string;
}

function separatorOf(dir: string): string {
  return dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
}

/** The folder containing `dir` (or `dir` itself at a root). */
export function parentFolder(dir: string): string {
  const sep = separatorOf(dir);
  const trimmed = dir.length > 1 ? dir.replace(/[\\/]+$/, '') : dir;
  const cut = trimmed.lastIndexOf(sep);
  if (cut <= 0) return cut === 0 ? sep : trimmed;
  const parent = trimmed.slice(0, cut);
  return /^[A-Za-z]:$/.test(parent) ? parent + sep : parent;
}

/** A file name safe on Windows, macOS and Linux, keeping Arabic letters. */
export function safeFileStem(text: string): string {
  const clean = text
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f<>:"/\\|?*\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return Array.from(clean).slice(0, 60).join('');
}

export function defaultBundlePath(archiveDir: string, selection: SelectionLike, now: Date): string {
  const day = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const what = selection.collection ? safeFileStem(selection.collection) : '';
  const stem = what ? `${what}-${day}` : `sijil-${day}`;
  const folder = parentFolder(archiveDir);
  const sep = separatorOf(archiveDir);
  return folder.endsWith(sep) ? `${folder}${stem}.sijil` : `${folder}${sep}${stem}.sijil`;
}
