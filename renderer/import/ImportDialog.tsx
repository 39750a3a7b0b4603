// Import files and folders: dropped anywhere in the app (the files arrive as a prop), dropped on
// this dialog, or chosen here. The files become paths the engine can read (uploaded to the
// server's staging folder in browser mode), then import.paths runs with progress and Cancel, and
// the dialog ends on a summary: what was imported, what was already in the archive (and as
// which item), and what was skipped and why.
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportProgressEvent } from '../../shared/api.ts';
import { ITEM_KINDS, type ImportOutcome, type ImportSummary, type ItemKind } from '../../shared/domain.ts';
import { api, ApiError } from '../api.ts';
import { formatBytes, formatNumber } from '../format.ts';
import { errorMessage, sayHere } from '../errors.ts';
import { routeHash } from '../route.ts';
import { FilePick } from './FilePick.tsx';
import { FileName } from '../item/FileName.tsx';
import { Modal } from '../components/Modal.tsx';
import { splitLabels } from './labels.ts';
import './import.css';

export interface ImportDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  /** Files dropped on the app, to import. */
  readonly files?: File[];
  /** Called when items were added, so lists can refresh. */
  readonly onImported: () => void;
  /** Opens an item (the existing one a duplicate matched, or a new one). */
  readonly onOpenItem?: (id: string) => void;
}

type Phase =
  | { readonly name: 'choose' }
  | { readonly name: 'upload'; readonly done: number; readonly total: number }
  | { readonly name: 'import'; readonly progress: ImportProgressEvent | null }
  | { readonly name: 'done'; readonly summary: ImportSummary }
  | { readonly name: 'cancelled'; readonly done: number };

export function ImportDialog(props: ImportDialogProps) {
  return props.open ? <ImportDialogBody {...props} /> : null;
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut >= 0 ? path.slice(cut + 1) : path;
}

/** Where a chosen file sits, as the person knows it: its folder path when it came from a folder. */
function displayName(file: File): string {
  return file.webkitRelativePath || file.name;
}

function ImportDialogBody({ onClose, files: dropped, onImported, onOpenItem }: ImportDialogProps) {
  const { t } = useTranslation(['import', 'search']);
  const [files, setFiles] = useState<File[]>(() => dropped ?? []);
  const [tags, setTags] = useState('');
  const [collections, setCollections] = useState('');
  const [kind, setKind] = useState<ItemKind | ''>('');
  const [phase, setPhase] = useState<Phase>({ name: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const [dragOver, setDragOver] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const lastDone = useRef(0);

  // New files dropped on the app while the dialog is open join the list.
  useEffect(() => {
    if (dropped && dropped.length > 0) setFiles((prev) => mergeFiles(prev, dropped));
  }, [dropped]);

  useEffect(() => () => abort.current?.abort(), []);

  const running = phase.name === 'upload' || phase.name === 'import';

  const addFiles = (more: File[]) => {
    setError(null);
    setFiles((prev) => mergeFiles(prev, more));
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setDragOver(false);
    if (phase.name !== 'choose') return;
    // Subtle: the DataTransfer is emptied when this handler returns, so it is read now.
    void api.filesFromDataTransfer(e.dataTransfer).then(addFiles, (err: unknown) => setError(errorMessage(err)));
  };

  const start = async () => {
    if (files.length === 0) return;
    setError(null);
    const controller = new AbortController();
    abort.current = controller;
    lastDone.current = 0;
    try {
      setPhase({ name: 'upload', done: 0, total: files.length });
      const paths = await api.filesToPaths(files, (done, total) => {
        if (!controller.signal.aborted) setPhase({ name: 'upload', done, total });
      });
      if (controller.signal.aborted) return;
      setPhase({ name: 'import', progress: null });
      const summary = await api.call(
        'import.paths',
        { paths, tags: splitLabels(tags), collections: splitLabels(collections), ...(kind ? { kind } : {}) },
        {
          signal: controller.signal,
          onProgress: (event, payload) => {
            if (event !== 'import.progress') return;
            const p = payload as ImportProgressEvent;
            lastDone.current = p.done;
            setPhase({ name: 'import', progress: p });
          },
        },
      );
      setPhase({ name: 'done', summary });
      if (summary.imported > 0) onImported();
    } catch (err) {
      if (controller.signal.aborted || (err instanceof ApiError && err.code === 'cancelled')) {
        setPhase({ name: 'cancelled', done: lastDone.current });
        if (lastDone.current > 0) onImported();
      } else {
        setError(errorMessage(err));
        setPhase({ name: 'choose' });
      }
    } finally {
      abort.current = null;
    }
  };

  const cancel = () => {
    abort.current?.abort();
    if (phase.name === 'upload') setPhase({ name: 'cancelled', done: 0 });
  };

  const totalBytes = files.reduce((n, f) => n + f.size, 0);

  const footer =
    phase.name === 'choose' ? (
      <>
        <button type="button" className="btn" onClick={onClose}>
          {t('close')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => void start()} disabled={files.length === 0} data-testid="import-start">
          {t('start', { count: formatNumber(files.length) })}
        </button>
      </>
    ) : running ? (
      <button type="button" className="btn btn-danger" onClick={cancel} data-testid="import-cancel">
        {t('cancel')}
      </button>
    ) : (
      <button type="button" className="btn btn-primary" onClick={onClose} data-testid="import-close">
        {t('done')}
      </button>
    );

  return (
    <Modal open title={t('title')} onClose={onClose} busy={running} footer={footer} wide className="import-dialog">
      {error !== null && (
        <p className="error-box" role="alert">
          {error}
        </p>
      )}

      {phase.name === 'choose' && (
        <>
          <div
            className={`import-drop${dragOver ? ' is-over' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              e.stopPropagation();
              e.dataTransfer.dropEffect = 'copy';
              setDragOver(true);
            }}
            onDragLeave={() => setDragOver(false)}
            onDrop={onDrop}
            data-testid="import-drop"
          >
            <p>{t('dropHere')}</p>
            <div className="row">
              <FilePick multiple onPick={addFiles} testId="import-file-input">
                {t('chooseFiles')}
              </FilePick>
              <FilePick folder onPick={addFiles} testId="import-folder-input">
                {t('chooseFolder')}
              </FilePick>
            </div>
          </div>

          {files.length > 0 && (
            <div className="import-chosen">
              <div className="row">
                <strong className="grow">{t('chosen', { count: formatNumber(files.length), size: formatBytes(totalBytes) })}</strong>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setFiles([])}>
                  {t('clear')}
                </button>
              </div>
              <ul className="import-file-list" data-testid="import-file-list">
                {files.slice(0, 200).map((f, i) => (
                  <li key={`${displayName(f)}:${i}`}>
                    <span className="truncate">
                      <FileName name={displayName(f)} />
                    </span>
                    <span className="faint">{formatBytes(f.size)}</span>
                  </li>
                ))}
                {files.length > 200 && <li className="faint">{t('andMore', { count: formatNumber(files.length - 200) })}</li>}
              </ul>
            </div>
          )}

          <div className="import-options">
            <div className="field">
              <label htmlFor="import-tags">{t('tags')}</label>
              <input id="import-tags" className="input" dir="auto" value={tags} onChange={(e) => setTags(e.target.value)} placeholder={t('tagsPlaceholder')} />
              <span className="field-hint">{t('labelsHint')}</span>
            </div>
            <div className="field">
              <label htmlFor="import-collections">{t('collections')}</label>
              <input
                id="import-collections"
                className="input"
                dir="auto"
                value={collections}
                onChange={(e) => setCollections(e.target.value)}
                placeholder={t('collectionsPlaceholder')}
              />
            </div>
            <div className="field">
              <label htmlFor="import-kind">{t('kind')}</label>
              <select id="import-kind" className="select" value={kind} onChange={(e) => setKind(e.target.value as ItemKind | '')}>
                <option value="">{t('kindAuto')}</option>
                {ITEM_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`search:kind.${k}`)}
                  </option>
                ))}
              </select>
              <span className="field-hint">{t('kindHint')}</span>
            </div>
          </div>
        </>
      )}

      {phase.name === 'upload' && (
        <div className="import-progress" data-testid="import-progress">
          <p>{t('uploading', { done: formatNumber(phase.done), total: formatNumber(phase.total) })}</p>
          <progress className="progress" max={Math.max(1, phase.total)} value={phase.done} />
        </div>
      )}

      {phase.name === 'import' && <ImportProgress progress={phase.progress} />}

      {phase.name === 'cancelled' && (
        <div className="notice" role="status" data-testid="import-cancelled">
          {phase.done > 0 ? t('cancelledSome') : t('cancelledNone')}
        </div>
      )}

      {phase.name === 'done' && <ImportSummaryView summary={phase.summary} onOpenItem={onOpenItem} onClose={onClose} />}
    </Modal>
  );
}

function mergeFiles(prev: File[], more: readonly File[]): File[] {
  const key = (f: File) => `${displayName(f)}\u0000${f.size}\u0000${f.lastModified}`;
  const seen = new Set(prev.map(key));
  return [...prev, ...more.filter((f) => !seen.has(key(f)))];
}

function ImportProgress({ progress }: { progress: ImportProgressEvent | null }) {
  const { t } = useTranslation('import');
  if (progress === null) {
    return (
      <div className="import-progress" data-testid="import-progress">
        <p>{t('starting')}</p>
        <progress className="progress" />
      </div>
    );
  }
  const big = progress.size !== undefined && progress.bytes !== undefined && progress.size > 0;
  return (
    <div className="import-progress" data-testid="import-progress">
      <p>{t('importing', { done: formatNumber(progress.done), total: formatNumber(progress.total) })}</p>
      <progress className="progress" max={Math.max(1, progress.total)} value={progress.done} />
      {progress.path && (
        <p className="import-current">
          <span className="faint">{t('current')}</span> <FileName name={baseName(progress.path)} />
        </p>
      )}
      {big && (
        <>
          <progress className="progress" max={progress.size} value={progress.bytes} />
          <p className="faint">{t('bytes', { done: formatBytes(progress.bytes ?? 0), total: formatBytes(progress.size ?? 0) })}</p>
        </>
      )}
    </div>
  );
}

function ImportSummaryView({ summary, onOpenItem, onClose }: { summary: ImportSummary; onOpenItem?: (id: string) => void; onClose: () => void }) {
  const { t } = useTranslation('import');
  const groups: { status: ImportOutcome['status']; label: string }[] = [
    { status: 'imported', label: t('summary.imported', { count: formatNumber(summary.imported) }) },
    { status: 'duplicate', label: t('summary.duplicates', { count: formatNumber(summary.duplicates) }) },
    { status: 'skipped', label: t('summary.skipped', { count: formatNumber(summary.skipped) }) },
  ];
  const open = (id: string) => {
    if (onOpenItem) onOpenItem(id);
    else window.location.hash = routeHash({ name: 'item', id });
    onClose();
  };
  return (
    <div className="import-summary" data-testid="import-summary">
      <div className="import-counts" role="status">
        {groups.map((g) => (
          <span
            key={g.status}
            className={`import-count${summary.outcomes.some((o) => o.status === g.status) ? ` import-count-${g.status}` : ''}`}
            data-testid={`import-count-${g.status}`}
          >
            {g.label}
          </span>
        ))}
      </div>
      {groups.map((g) => {
        const outcomes = summary.outcomes.filter((o) => o.status === g.status);
        if (outcomes.length === 0) return null;
        return (
          <details key={g.status} className="import-group" open={g.status !== 'imported' || outcomes.length <= 10}>
            <summary>{g.label}</summary>
            <ul className="import-outcomes">
              {outcomes.slice(0, 500).map((o, i) => (
                <li key={`${o.path}:${i}`} data-testid={`import-outcome-${o.status}`}>
                  <span className="import-outcome-file" title={o.path}>
                    <FileName name={baseName(o.path)} />
                  </span>
                  {o.status === 'imported' && o.itemId && (
                    <ItemLink id={o.itemId} title={o.title} onOpen={open} />
                  )}
                  {o.status === 'duplicate' && o.itemId && (
                    <span className="import-outcome-note">
                      {t('summary.alreadyAs')} <ItemLink id={o.itemId} title={o.title} onOpen={open} />
                    </span>
                  )}
                  {o.status === 'skipped' && (
                    <span className="import-outcome-note" dir="auto">
                      {sayHere(o.said, { clause: true }) ?? o.reason ?? t('summary.noReason')}
                    </span>
                  )}
                </li>
              ))}
              {outcomes.length > 500 && <li className="faint">{t('andMore', { count: formatNumber(outcomes.length - 500) })}</li>}
            </ul>
          </details>
        );
      })}
    </div>
  );
}

function ItemLink({ id, title, onOpen }: { id: string; title?: string | undefined; onOpen: (id: string) => void }) {
  return (
    <a
      className="import-item-link"
      href={routeHash({ name: 'item', id })}
      dir="auto"
      onClick={(e) => {
        // Navigated by hand: the dialog closes in the same click, and a link that is no longer
        // in the page would not navigate.
        e.preventDefault();
        onOpen(id);
      }}
      data-testid="item-link"
    >
      {title || id}
    </a>
  );
}
