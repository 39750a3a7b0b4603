// One item: its content by kind (article reader, player, image, PDF, testimony, text) and, beside
// it, what describes it: details, tags and collections, links, files and the custody log.
import { Suspense, lazy, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nameWithoutBidiControls } from '../../shared/bidi.ts';
import type { FileRecord, Item } from '../../shared/domain.ts';
import { api, isDesktop } from '../api.ts';
import type { ShellActions } from '../App.tsx';
import { Icon, KindIcon } from '../components/Icon.tsx';
import { Modal } from '../components/Modal.tsx';
import { useToast } from '../components/Toasts.tsx';
import { errorMessage } from '../errors.ts';
import { formatBytes, formatDate, textLang } from '../format.ts';
import { isRtl } from '../i18n.ts';
import { ArticleReader } from '../item/ArticleReader.tsx';
import { CustodyLog } from '../item/CustodyLog.tsx';
import { FileName } from '../item/FileName.tsx';
import { GraphicGuard } from '../item/GraphicGuard.tsx';
import { ImageViewer } from '../item/ImageViewer.tsx';
import { LabelsEditor } from '../item/LabelsEditor.tsx';
import { LinksEditor } from '../item/LinksEditor.tsx';
import { Markdown } from '../item/Markdown.tsx';
import { MediaPlayer } from '../item/MediaPlayer.tsx';
import { MetadataEditor } from '../item/MetadataEditor.tsx';
import { TestimonyView } from '../item/TestimonyView.tsx';
import { TextBody } from '../item/TextBody.tsx';
import type { LabelKind } from '../../shared/vocabulary.ts';

// PDF.js is large: loaded the first time a PDF is opened, not with the app.
const PdfViewer = lazy(() => import('../item/PdfViewer.tsx').then((m) => ({ default: m.PdfViewer })));

type Tab = 'details' | 'links' | 'files' | 'history';
const TABS: readonly Tab[] = ['details', 'links', 'files', 'history'];

export interface ItemViewProps {
  id: string;
  revision: number;
  actions: ShellActions;
  onBack: () => void;
  onFilter: (kind: LabelKind, name: string) => void;
}

export function ItemView({ id, revision, actions, onBack, onFilter }: ItemViewProps) {
  const { t } = useTranslation('item');
  const toast = useToast();
  const [item, setItem] = useState<Item | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('details');
  const [confirmUrl, setConfirmUrl] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.call('items.get', { id }).then(
      (v) => {
        if (!live) return;
        setItem(v);
        setError(null);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [id, revision]);

  // Opening an item from the keyboard leaves focus nowhere (the list is gone): put it on the title.
  const loaded = item !== null;
  useEffect(() => {
    if (loaded && (document.activeElement === null || document.activeElement === document.body)) document.getElementById('item-title')?.focus();
  }, [loaded]);

  if (error)
    return (
      <section className="screen item-view">
        <div className="item-topbar">
          <button type="button" className="btn btn-ghost" onClick={onBack}>
            <Icon name="back" size={16} />
            {t('back')}
          </button>
        </div>
        <div className="error-box" role="alert">
          {error}
        </div>
      </section>
    );
  if (!item)
    return (
      <section className="screen item-view" aria-busy="true">
        <div className="viewer-loading">
          <span className="spinner" />
        </div>
      </section>
    );

  const updated = (next: Item) => {
    setItem(next);
    actions.changed();
  };

  const trash = async () => {
    try {
      await api.call('items.trash', { id: item.id });
      actions.changed();
      toast({
        message: t('trashed', { title: item.title }),
        action: {
          label: t('library:undo'),
          run: () =>
            void api.call('items.restore', { id: item.id }).then(
              () => actions.changed(),
              (err: unknown) => toast({ message: errorMessage(err), tone: 'error' }),
            ),
        },
      });
      onBack();
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    }
  };

  const restore = async () => {
    try {
      updated(await api.call('items.restore', { id: item.id }));
    } catch (err) {
      toast({ message: errorMessage(err), tone: 'error' });
    }
  };

  const meta = [
    item.sourceOutlet,
    item.sourceAuthor,
    formatDate(item.eventDate ?? item.publishedAt ?? item.capturedAt),
    item.place,
  ].filter(Boolean);
  const safeUrl = item.sourceUrl && /^https?:\/\//i.test(item.sourceUrl) ? item.sourceUrl : null;

  return (
    <section className="screen item-view" aria-labelledby="item-title">
      <div className="item-topbar">
        <button type="button" className="btn btn-ghost" onClick={onBack}>
          <Icon name="back" size={16} />
          {t('back')}
        </button>
        <span className="grow" />
        {item.deletedAt === null ? (
          <>
            <button type="button" className="btn btn-small" onClick={() => actions.openExport({ ids: [item.id] })}>
              <Icon name="package" size={16} />
              {t('export')}
            </button>
            <button type="button" className="btn btn-small btn-danger" onClick={() => void trash()}>
              <Icon name="trash" size={16} />
              {t('moveToTrash')}
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-small" onClick={() => void restore()}>
            <Icon name="restore" size={16} />
            {t('restore')}
          </button>
        )}
      </div>

      <header className="item-header">
        <div className="item-badges">
          <span className="badge">
            <KindIcon kind={item.kind} size={14} />
            {t(`common:kind.${item.kind}`)}
          </span>
          {item.sensitivity !== 'normal' && <span className={`badge badge-${item.sensitivity}`}>{t(`common:sensitivity.${item.sensitivity}`)}</span>}
          {item.language && <span className="badge">{item.language}</span>}
        </div>
        <h1 id="item-title" className="item-title" tabIndex={-1} lang={textLang(item.title, item.language)}>
          {item.title}
        </h1>
        {meta.length > 0 && (
          <p className="item-meta muted">
            {/* Each part isolated: an English place after an Arabic date must not reorder. */}
            {meta.map((part, i) => (
              <span key={i}>
                {i > 0 && ' · '}
                <bdi>{part}</bdi>
              </span>
            ))}
          </p>
        )}
        {item.sourceUrl && (
          <p className="item-source">
            <span className="muted">{t('source')}:</span>{' '}
            <span className="mono break" dir="ltr">
              {item.sourceUrl}
            </span>{' '}
            {safeUrl && (
              <button
                type="button"
                className="btn btn-small btn-ghost"
                // The desktop app's main process asks before any address leaves (a native dialog, in
                // the system's language): asking here too would ask twice. Browser mode asks here.
                onClick={() => (isDesktop() ? window.open(safeUrl, '_blank', 'noopener,noreferrer') : setConfirmUrl(safeUrl))}
              >
                <Icon name="external" size={14} />
                {t('openSource')}
              </button>
            )}
          </p>
        )}
      </header>

      {item.deletedAt !== null && (
        <div className="notice" role="status">
          {t('inTrash', { date: formatDate(item.deletedAt) })}
        </div>
      )}

      <div className="item-layout">
        <div className="item-main">
          <Content item={item} />
          {item.description && item.kind !== 'note' && (
            <section className="item-description">
              <h2 className="visually-hidden">{t('fields.description')}</h2>
              <TextBody text={item.description} language={item.language} />
            </section>
          )}
        </div>

        <aside className="item-side" aria-label={t('aboutItem')}>
          <LabelsEditor item={item} onChanged={updated} onFilter={onFilter} />
          <div className="tabs" role="tablist" aria-label={t('aboutItem')}>
            {TABS.map((name) => (
              <button
                key={name}
                type="button"
                role="tab"
                id={`tab-${name}`}
                aria-selected={tab === name}
                aria-controls={`panel-${name}`}
                tabIndex={tab === name ? 0 : -1}
                className={`tab${tab === name ? ' is-current' : ''}`}
                onClick={() => setTab(name)}
                onKeyDown={(e) => {
                  const i = TABS.indexOf(name);
                  const rtl = document.documentElement.dir === 'rtl';
                  const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
                  const backward = rtl ? 'ArrowRight' : 'ArrowLeft';
                  let next: Tab | undefined;
                  if (e.key === forward) next = TABS[(i + 1) % TABS.length];
                  if (e.key === backward) next = TABS[(i - 1 + TABS.length) % TABS.length];
                  if (e.key === 'Home') next = TABS[0];
                  if (e.key === 'End') next = TABS[TABS.length - 1];
                  if (next) {
                    e.preventDefault();
                    setTab(next);
                    document.getElementById(`tab-${next}`)?.focus();
                  }
                }}
              >
                {t(`tabs.${name}`)}
                {name === 'links' && item.links.length > 0 && <span className="tab-count">{item.links.length}</span>}
              </button>
            ))}
          </div>
          {/* Details stay mounted behind the other tabs: fields being edited there are kept, not
              thrown away by a look at the history. */}
          <div className="tab-panel" role="tabpanel" id="panel-details" aria-labelledby="tab-details" hidden={tab !== 'details'}>
            <MetadataEditor key={item.id} item={item} onSaved={updated} />
          </div>
          {tab !== 'details' && (
            <div className="tab-panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
              {tab === 'links' && <LinksEditor item={item} onChanged={updated} onOpenItem={actions.openItem} />}
              {tab === 'files' && <FileList item={item} />}
              {tab === 'history' && <CustodyLog itemId={item.id} revision={item.updatedAt} />}
            </div>
          )}
        </aside>
      </div>

      <Modal
        open={confirmUrl !== null}
        onClose={() => setConfirmUrl(null)}
        title={t('openSourceTitle')}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setConfirmUrl(null)}>
              {t('common:cancel')}
            </button>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => {
                if (confirmUrl) window.open(confirmUrl, '_blank', 'noopener,noreferrer');
                setConfirmUrl(null);
              }}
            >
              {t('openSourceConfirm')}
            </button>
          </>
        }
      >
        <p>{t('openSourceText')}</p>
        <p className="mono break" dir="ltr">
          {confirmUrl}
        </p>
      </Modal>
    </section>
  );
}

function primary(item: Item, test: (f: FileRecord) => boolean): FileRecord | undefined {
  return item.files.find((f) => f.role === 'original' && test(f));
}

function Content({ item }: { item: Item }) {
  const { t } = useTranslation('item');
  const graphic = item.sensitivity === 'graphic';
  switch (item.kind) {
    case 'article':
      return (
        <div className="viewer viewer-article">
          <ArticleReader item={item} />
        </div>
      );
    case 'video':
    case 'audio': {
      const file = primary(item, (f) => f.mime.startsWith('video/') || f.mime.startsWith('audio/'));
      return file ? (
        <div className="viewer">
          <GraphicGuard graphic={graphic}>
            <MediaPlayer itemId={item.id} file={file} />
          </GraphicGuard>
          {item.texts.length > 0 && <TestimonyTexts item={item} />}
        </div>
      ) : (
        <p className="muted">{t('noMedia')}</p>
      );
    }
    case 'image': {
      const file = primary(item, (f) => f.mime.startsWith('image/'));
      return file ? (
        <div className="viewer">
          <GraphicGuard graphic={graphic}>
            <ImageViewer itemId={item.id} file={file} alt={item.title} />
          </GraphicGuard>
        </div>
      ) : (
        <p className="muted">{t('noMedia')}</p>
      );
    }
    case 'document': {
      const pdf = primary(item, (f) => f.mime === 'application/pdf');
      if (pdf)
        return (
          <div className="viewer viewer-pdf">
            <GraphicGuard graphic={graphic}>
              <Suspense fallback={<div className="viewer-loading"><span className="spinner" /></div>}>
                <PdfViewer itemId={item.id} file={pdf} />
              </Suspense>
            </GraphicGuard>
          </div>
        );
      return <TextBody text={item.body ?? ''} language={item.language} />;
    }
    case 'testimony':
      return <TestimonyView item={item} />;
    case 'note':
      return (
        <div className="text-body reading note-body" lang={item.language ?? undefined} dir={item.language ? (isRtl(item.language) ? 'rtl' : 'ltr') : 'auto'}>
          <Markdown source={item.body ?? item.description} />
        </div>
      );
  }
}

/** Transcripts attached to a plain video or audio item. */
function TestimonyTexts({ item }: { item: Item }) {
  return (
    <div className={`testimony-texts cols-${Math.min(item.texts.length, 2)}`}>
      {item.texts.map((text) => (
        <TextBody key={text.id} text={text.text} language={text.language} className="text-panel card" />
      ))}
    </div>
  );
}

function FileList({ item }: { item: Item }) {
  const { t } = useTranslation('item');
  if (item.files.length === 0) return <p className="faint">{t('noFiles')}</p>;
  return (
    <div>
      <h2>{t('files')}</h2>
      <ul className="file-list">
        {item.files.map((f) => (
          <li key={f.id} className="file-row">
            <Icon name="file" size={16} />
            <div className="grow">
              <a href={api.mediaUrl(item.id, f.id)} download={nameWithoutBidiControls(f.name)} className="truncate file-name bidi-plain">
                <FileName name={f.name} />
              </a>
              <div className="faint">
                {t(`roles.${f.role}`)} · {f.mime} · {formatBytes(f.size)}
              </div>
              <div className="mono faint" dir="ltr" title={f.sha256}>
                sha256 {f.sha256.slice(0, 20)}…
              </div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
