// What the desktop app's native parts say (its dialogs and its one menu entry without a role), in
// the system's language: the renderer's language setting lives in the page, which these come
// before or outside of. Plain data, so it is tested without Electron.
import { saidOf } from '../shared/errors.ts';
import { phrase, say, type PhraseLanguage } from '../shared/phrase.ts';

/** The phrase language for a system locale ("ar-IQ", "en-GB"): Arabic for any Arabic locale, else English. */
export function desktopLanguage(locale: string): PhraseLanguage {
  return locale.toLowerCase().startsWith('ar') ? 'ar' : 'en';
}

/** The question asked before an outside link leaves the app; the address is shown in full. */
export function externalLinkPrompt(url: string, locale = 'en'): { message: string; detail: string; buttons: [string, string]; cancelId: 1; defaultId: 1 } {
  const lang = desktopLanguage(locale);
  return {
    message: say(phrase('doors.desktop.linkQuestion'), lang),
    // On a line of its own, the address needs no isolating.
    detail: say(phrase('doors.desktop.linkDetail', { url }), lang),
    buttons: [say(phrase('doors.desktop.linkOpen'), lang), say(phrase('doors.desktop.cancel'), lang)],
    cancelId: 1,
    defaultId: 1,
  };
}

/** The error box shown when the archive cannot be opened at launch: the engine's own sentence, then the folder. */
export function archiveOpenFailure(err: unknown, archiveDir: string, locale: string): { title: string; content: string } {
  const lang = desktopLanguage(locale);
  return {
    title: say(phrase('doors.desktop.cannotOpen'), lang),
    // In Arabic, isolated, so a Latin path keeps its order after an Arabic label; in English without
    // the marks, which a path copied from the box would carry.
    content: say(phrase('doors.desktop.cannotOpenDetail', { problem: saidOf(err), dir: archiveDir }), lang, { isolate: lang === 'ar' }),
  };
}

/** Asked at launch when the folder chosen in Settings holds no archive now. Buttons: try again, the default archive, quit. */
export function archiveAwayPrompt(dir: string, locale: string): { message: string; detail: string; buttons: [string, string, string]; defaultId: 0; cancelId: 2 } {
  const lang = desktopLanguage(locale);
  const isolate = lang === 'ar';
  return {
    message: say(phrase('doors.desktop.archiveAway'), lang),
    detail: say(phrase('doors.desktop.archiveAwayDetail', { dir }), lang, { isolate }),
    buttons: [say(phrase('doors.desktop.tryAgain'), lang), say(phrase('doors.desktop.openDefault'), lang), say(phrase('doors.desktop.quit'), lang)],
    defaultId: 0,
    cancelId: 2,
  };
}

/** The system folder picker's title and button when choosing another archive folder. */
export function archiveFolderPrompt(locale: string): { title: string; buttonLabel: string } {
  const lang = desktopLanguage(locale);
  return { title: say(phrase('doors.desktop.chooseArchive'), lang), buttonLabel: say(phrase('doors.desktop.chooseArchiveButton'), lang) };
}

/** The File menu's entry that opens the archive folder in the system's file manager. */
export function showArchiveFolderLabel(locale: string): string {
  return say(phrase('doors.desktop.showArchiveFolder'), desktopLanguage(locale));
}
