// The app shell: sidebar, the current screen, and the dialogs any screen can open. A drop of
// files or folders anywhere opens the import dialog; Ctrl+K opens the quick switcher.
import { Component, Suspense, lazy, useCallback, useEffect, useReducer, useRef, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ArchiveInfo } from '../shared/api.ts';
import { api } from './api.ts';
import { Icon } from './components/Icon.tsx';
import { Sidebar } from './components/Sidebar.tsx';
import { ToastProvider } from './components/Toasts.tsx';
import { errorMessage } from './errors.ts';
import { afterLaunch, archiveInfo, launchPage, launchedInfo } from './launch.ts';
import { DEFAULT_FILTERS, type LibraryFilters } from './library/query.ts';
import { FirstRun } from './screens/FirstRun.tsx';
import { Library } from './screens/Library.tsx';
import { canGoBack, useRoute } from './useRoute.ts';
import { VerifyNotice, useScheduledVerify } from './verify/VerifyNotice.tsx';
import { isCommand } from './shortcut.ts';
import type { LabelKind } from '../shared/vocabulary.ts';

// Launch draws the library, so only its code is in the first script. The other screens and the
// dialogs are loaded when first opened, or in idle time after launch (prefetchScreens).
const loadSearch = () => import('./screens/Search.tsx');
const loadItemView = () => import('./screens/ItemView.tsx');
const Search = lazy(() => loadSearch().then((m) => ({ default: m.Search })));
const ItemView = lazy(() => loadItemView().then((m) => ({ default: m.ItemView })));
const Settings = lazy(() => import('./screens/Settings.tsx').then((m) => ({ default: m.Settings })));
const Verify = lazy(() => import('./screens/Verify.tsx').then((m) => ({ default: m.Verify })));
const QuickSwitcher = lazy(() => import('./components/QuickSwitcher.tsx').then((m) => ({ default: m.QuickSwitcher })));
const ImportDialog = lazy(() => import('./import/ImportDialog.tsx').then((m) => ({ default: m.ImportDialog })));
const NewNote = lazy(() => import('./import/NewNote.tsx').then((m) => ({ default: m.NewNote })));
const NewTestimony = lazy(() => import('./import/NewTestimony.tsx').then((m) => ({ default: m.NewTestimony })));
const ImportBundleDialog = lazy(() => import('./bundle/ImportBundleDialog.tsx').then((m) => ({ default: m.ImportBundleDialog })));
const ExportDialog = lazy(() => import('./bundle/ExportDialog.tsx').then((m) => ({ default: m.ExportDialog })));

/** Runs `run` when the page is idle (at the latest after `timeout` ms); returns the cancel. */
function whenIdle(run: () => void, timeout: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(run, { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(run, Math.min(timeout, 1000));
  return () => clearTimeout(id);
}

/** After launch, when the page is idle: the screens people open next, so the first switch does not wait. */
function prefetchScreens(): () => void {
  return whenIdle(() => {
    void loadSearch().catch(() => undefined);
    void loadItemView().catch(() => undefined);
  }, 5000);
}

/**
 * A screen's or dialog's code that could not be loaded (the app was rebuilt or its server stopped
 * while this page stayed open) shows a sentence and a way out, not a blank window: the rest of
 * the app stays as it was.
 */
class LoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error-box app-error" role="alert">
        {i18next.t('common:partNotLoaded')}{' '}
        <button type="button" className="btn" onClick={() => window.location.reload()}>
          {i18next.t('common:reload')}
        </button>
      </div>
    );
  }
}

/**
 * A lazy dialog, loaded the first time it opens and rendered from then on (it keeps its state
 * while closed): `<OnceOpened dialog={NewNote} open={...} ... />` with the dialog's own props.
 */
function OnceOpened<P extends { open: boolean }>({ dialog: Dialog, ...props }: { dialog: LazyExoticComponent<ComponentType<P>> } & P) {
  const [opened, setOpened] = useState(props.open);
  if (props.open && !opened) setOpened(true);
  return opened || props.open ? (
    <LoadBoundary>
      <Suspense fallback={null}>
        {/* The rest of `{ dialog } & P` is P; TypeScript cannot see it for a generic P. */}
        <Dialog {...(props as unknown as P)} />
      </Suspense>
    </LoadBoundary>
  ) : null;
}

function Loading() {
  return (
    <div className="viewer-loading" aria-busy="true">
      <span className="spinner" />
    </div>
  );
}

/** The scheduled verification's status check, once the launch calls are answered and the page is idle. */
function ScheduledVerify() {
  const [due, setDue] = useState(false);
  useEffect(() => whenIdle(() => setDue(true), 3000), []);
  return due ? <StartScheduledVerify /> : null;
}

function StartScheduledVerify() {
  useScheduledVerify();
  return null;
}

export type ExportSelection = { ids?: string[]; collection?: string; query?: string };

/** What a screen can ask the shell to open. */
export interface ShellActions {
  openItem(id: string): void;
  openImport(files?: File[]): void;
  openNewNote(): void;
  openNewTestimony(): void;
  openImportBundle(): void;
  openExport(selection: ExportSelection): void;
  /** Something in the archive changed: lists, counts and the sidebar reload. */
  changed(): void;
}

type ImportState = { open: false } | { open: true; files?: File[] };

export function App() {
  return (
    <ToastProvider>
      <Shell />
    </ToastProvider>
  );
}

function Shell() {
  const { t } = useTranslation('common');
  const [route, navigate] = useRoute();
  const [revision, changed] = useReducer((n: number) => n + 1, 0);
  const [info, setInfo] = useState<ArchiveInfo | null>(launchedInfo);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [filters, setFilters] = useState<LibraryFilters>(DEFAULT_FILTERS);

  const [importState, setImportState] = useState<ImportState>({ open: false });
  const [noteOpen, setNoteOpen] = useState(false);
  const [testimonyOpen, setTestimonyOpen] = useState(false);
  const [bundleOpen, setBundleOpen] = useState(false);
  const [exportSelection, setExportSelection] = useState<ExportSelection | null>(null);
  const [quickOpen, setQuickOpen] = useState(false);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let live = true;
    archiveInfo().then(
      (value) => {
        if (!live) return;
        // An empty archive opens on the first-run screen: its rows, once there are some, are new.
        if (value.items === 0 && value.trash === 0) launchPage.drop();
        setInfo(value);
        setInfoError(null);
      },
      (err: unknown) => {
        if (live) setInfoError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [revision]);

  // The first screen drawn with the launch's answers: what can wait (other screens' code, the
  // scheduled verification) starts only then, so as not to compete with it.
  const [launched, setLaunched] = useState(false);
  useEffect(() => {
    let live = true;
    void afterLaunch().then(() => live && setLaunched(true));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => (launched ? prefetchScreens() : undefined), [launched]);

  const openItem = useCallback((id: string) => navigate({ name: 'item', id }), [navigate]);
  const actions: ShellActions = {
    openItem,
    openImport: (files) => setImportState({ open: true, files }),
    openNewNote: () => setNoteOpen(true),
    openNewTestimony: () => setTestimonyOpen(true),
    openImportBundle: () => setBundleOpen(true),
    openExport: (selection) => setExportSelection(selection),
    changed,
  };

  // Ctrl+K (Cmd+K on a Mac) from anywhere, even from inside a text field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isCommand(e, 'k')) {
        e.preventDefault();
        setQuickOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Drop anywhere to import. dragenter/dragleave fire for every child crossed, so count them.
  const depth = useRef(0);
  useEffect(() => {
    const carriesFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onEnter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      depth.current++;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      depth.current = 0;
      setDragging(false);
      if (!e.dataTransfer || !carriesFiles(e)) return;
      e.preventDefault();
      // Read the drop now: the browser empties the DataTransfer when this handler returns.
      api.filesFromDataTransfer(e.dataTransfer).then(
        (files) => {
          if (files.length > 0) setImportState({ open: true, files });
        },
        (err: unknown) => setInfoError(errorMessage(err)),
      );
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, []);

  /** A dialog's way to an item: it closes, then the item opens (lists reload first when it made one). */
  const closeThenOpen = (close: () => void, created = false) => (id: string) => {
    close();
    if (created) changed();
    openItem(id);
  };

  const filterBy = (kind: LabelKind, name: string) => {
    setFilters((f) => ({ ...f, [kind]: name }));
    navigate({ name: 'library' });
  };

  const emptyArchive = info !== null && info.items === 0 && info.trash === 0;

  let screen;
  switch (route.name) {
    case 'library':
    case 'trash':
      screen =
        info === null && infoError === null ? (
          <Loading />
        ) : emptyArchive ? (
        <FirstRun actions={actions} />
      ) : (
        <Library
          filters={filters}
          onFiltersChange={setFilters}
          trash={route.name === 'trash'}
          revision={revision}
          actions={actions}
        />
        );
      break;
    case 'search':
      screen = <Search onOpenItem={openItem} onExport={(query) => actions.openExport({ query })} />;
      break;
    case 'settings':
      screen = <Settings revision={revision} />;
      break;
    case 'verify':
      screen = <Verify />;
      break;
    case 'item':
      screen = <ItemView key={route.id} id={route.id} revision={revision} actions={actions} onBack={() => (canGoBack() ? window.history.back() : navigate({ name: 'library' }))} onFilter={filterBy} />;
      break;
  }

  return (
    <div className="app">
      {launched && <ScheduledVerify />}
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <Sidebar
        route={route}
        navigate={navigate}
        filters={filters}
        onFilter={(next) => {
          setFilters(next);
          navigate({ name: 'library' });
        }}
        revision={revision}
        info={info}
        actions={actions}
        onQuickSwitcher={() => setQuickOpen(true)}
      />
      <main id="main" className="main" tabIndex={-1}>
        {infoError && (
          <div className="error-box app-error" role="alert">
            {infoError}
          </div>
        )}
        <VerifyNotice hidden={route.name === 'verify'} />
        <LoadBoundary key={route.name}>
          <Suspense fallback={<Loading />}>{screen}</Suspense>
        </LoadBoundary>
      </main>

      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <div className="drop-overlay-inner">
            <Icon name="upload" size={36} />
            <p>{t('dropToImport')}</p>
          </div>
        </div>
      )}

      <OnceOpened
        dialog={QuickSwitcher}
        open={quickOpen}
        onClose={() => setQuickOpen(false)}
        onOpenItem={closeThenOpen(() => setQuickOpen(false))}
        onFilter={(kind, name) => {
          setQuickOpen(false);
          filterBy(kind, name);
        }}
      />
      <OnceOpened
        dialog={ImportDialog}
        open={importState.open}
        files={importState.open ? importState.files : undefined}
        onClose={() => setImportState({ open: false })}
        onImported={changed}
        onOpenItem={closeThenOpen(() => setImportState({ open: false }))}
      />
      <OnceOpened dialog={NewNote} open={noteOpen} onClose={() => setNoteOpen(false)} onCreated={closeThenOpen(() => setNoteOpen(false), true)} />
      <OnceOpened dialog={NewTestimony} open={testimonyOpen} onClose={() => setTestimonyOpen(false)} onCreated={closeThenOpen(() => setTestimonyOpen(false), true)} />
      <OnceOpened dialog={ImportBundleDialog} open={bundleOpen} onClose={() => setBundleOpen(false)} onImported={changed} />
      <OnceOpened dialog={ExportDialog} open={exportSelection !== null} onClose={() => setExportSelection(null)} selection={exportSelection ?? {}} />
    </div>
  );
}
