// The application menu as plain data (Electron's MenuItemConstructorOptions shape, roles only), so
// which items exist on which platform, packaged or not, is tested without Electron. Roles give
// each item the system's own label, shortcut and behaviour in the user's language.

import { showArchiveFolderLabel } from './desktopText.ts';

export interface MenuEntry {
  readonly role?: string;
  readonly label?: string;
  readonly type?: 'separator';
  readonly submenu?: readonly MenuEntry[];
  readonly accelerator?: string;
  /** main.ts attaches the action for entries that have no role. */
  readonly id?: string;
}

const sep: MenuEntry = { type: 'separator' };

export function menuTemplate(options: { platform: NodeJS.Platform; packaged: boolean; appName?: string; locale?: string }): MenuEntry[] {
  const mac = options.platform === 'darwin';
  const name = options.appName ?? 'Sijil';
  const view: MenuEntry[] = [
    // Reload and the developer tools would only lose a researcher's place in a packaged app.
    ...(options.packaged ? [] : [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, sep]),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    sep,
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac
      ? [
          {
            role: 'appMenu',
            label: name,
            submenu: [{ role: 'about' }, sep, { role: 'services' }, sep, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, sep, { role: 'quit' }],
          },
        ]
      : []),
    {
      role: 'fileMenu',
      submenu: [{ id: 'show-archive', label: showArchiveFolderLabel(options.locale ?? 'en') }, sep, mac ? { role: 'close' } : { role: 'quit' }],
    },
    { role: 'editMenu' },
    { role: 'viewMenu', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ role: 'about' }],
    },
  ];
}

/** Every role the template uses, however deep: what the tests look at. */
export function menuRoles(entries: readonly MenuEntry[]): string[] {
  return entries.flatMap((e) => [...(e.role ? [e.role] : []), ...menuRoles(e.submenu ?? [])]);
}
