// PDFs drawn to canvas by PDF.js, page by page as they scroll into view. The worker, fonts and
// character maps are bundled with the app (vite.config.ts copies them): nothing is fetched remotely,
// and the PDF's own scripts never run (only PDF.js's viewer app runs them; this core API draws pages).
// Over each canvas lies PDF.js's text layer: transparent text at the glyphs' places, so the page's
// words can be selected, copied and found with the browser's Find.
import { GlobalWorkerOptions, TextLayer, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileRecord } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { errorMessage } from '../errors.ts';
import { formatNumber, formatPercent } from '../format.ts';
import '../styles/pdf-text.css';

GlobalWorkerOptions.workerSrc = workerUrl;

function assetUrl(dir: string): string {
  return new URL(`./pdfjs/${dir}/`, document.baseURI).href;
}

export function PdfViewer({ itemId, file }: { itemId: string; file: FileRecord }) {
  const { t } = useTranslation('item');
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scale, setScale] = useState(1.25);
  const [page, setPage] = useState(1);
  const scroller = useRef<HTMLDivElement>(null);
  const frame = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    const task = getDocument({
      url: new URL(api.mediaUrl(itemId, file.id), document.baseURI).href,
      enableXfa: false,
      cMapUrl: assetUrl('cmaps'),
      cMapPacked: true,
      standardFontDataUrl: assetUrl('standard_fonts'),
      wasmUrl: assetUrl('wasm'),
      iccUrl: assetUrl('iccs'),
    });
    task.promise.then(
      async (d) => {
        // Start at the width of the viewer: a page is read top to bottom, not panned sideways.
        const first = await d.getPage(1);
        const width = scroller.current?.clientWidth ?? frame.current?.clientWidth ?? 0;
        if (width > 0) setScale(Math.max(0.5, Math.min(2, (width - 40) / first.getViewport({ scale: 1 }).width)));
        if (live) setDoc(d);
      },
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
      void task.destroy();
    };
  }, [itemId, file.id]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el || !doc) return;
    const pages = el.querySelectorAll<HTMLElement>('.pdf-page');
    const middle = el.scrollTop + el.clientHeight / 3;
    for (const p of pages) {
      if (p.offsetTop + p.offsetHeight > middle) {
        setPage(Number(p.dataset.page));
        break;
      }
    }
  };

  if (error) return <div className="error-box">{t('pdf.failed', { message: error })}</div>;
  if (!doc)
    return (
      <div className="viewer-loading" ref={frame}>
        <span className="spinner" /> {t('pdf.loading')}
      </div>
    );

  return (
    <div className="pdf-viewer">
      <div className="viewer-toolbar toolbar" role="toolbar" aria-label={t('pdf.tools')}>
        <span aria-live="polite">{t('pdf.page', { page: formatNumber(page), pages: formatNumber(doc.numPages) })}</span>
        <span className="grow" />
        <button type="button" className="btn btn-icon btn-small" onClick={() => setScale((s) => Math.max(0.5, s - 0.25))} aria-label={t('image.zoomOut')}>
          <Icon name="zoomOut" size={16} />
        </button>
        <span className="zoom-level">{formatPercent(scale)}</span>
        <button type="button" className="btn btn-icon btn-small" onClick={() => setScale((s) => Math.min(4, s + 0.25))} aria-label={t('image.zoomIn')}>
          <Icon name="zoomIn" size={16} />
        </button>
      </div>
      <div className="pdf-pages" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label={t('pdf.document', { name: file.name })}>
        {Array.from({ length: doc.numPages }, (_, i) => (
          <PdfPage key={i} doc={doc} number={i + 1} scale={scale} root={scroller} />
        ))}
      </div>
    </div>
  );
}

function PdfPage({ doc, number, scale, root }: { doc: PDFDocumentProxy; number: number; scale: number; root: RefObject<HTMLDivElement | null> }) {
  const { t } = useTranslation('item');
  const holder = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const textLayer = useRef<HTMLDivElement>(null);
  const [visible, setVisible] = useState(number <= 2);
  const [size, setSize] = useState<{ w: number; h: number }>({ w: 612 * scale, h: 792 * scale });

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const observer = new IntersectionObserver(([entry]) => entry?.isIntersecting && setVisible(true), { root: root.current, rootMargin: '600px 0px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [root]);

  useEffect(() => {
    if (!visible) return;
    let cancelled = false;
    let renderTask: { cancel(): void; promise: Promise<void> } | null = null;
    let text: TextLayer | null = null;
    void doc.getPage(number).then((page) => {
      if (cancelled || !canvas.current) return;
      const viewport = page.getViewport({ scale });
      const ratio = window.devicePixelRatio || 1;
      const c = canvas.current;
      c.width = Math.floor(viewport.width * ratio);
      c.height = Math.floor(viewport.height * ratio);
      setSize({ w: viewport.width, h: viewport.height });
      renderTask = page.render({ canvas: c, viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] });
      renderTask.promise.catch(() => undefined);
      const layer = textLayer.current;
      if (layer) {
        layer.replaceChildren();
        // The layer sizes itself and its text from --scale-factor (styles/pdf-text.css).
        layer.style.setProperty('--scale-factor', String(scale));
        text = new TextLayer({ textContentSource: page.streamTextContent(), container: layer, viewport });
        // A page without text (a scan) simply has an empty layer; selection then finds nothing.
        text.render().catch(() => undefined);
      }
    });
    return () => {
      cancelled = true;
      renderTask?.cancel();
      text?.cancel();
    };
  }, [doc, number, scale, visible]);

  return (
    <div ref={holder} className="pdf-page" data-page={number} style={{ inlineSize: size.w, blockSize: size.h }}>
      <canvas ref={canvas} style={{ inlineSize: size.w, blockSize: size.h }} aria-label={t('pdf.pageLabel', { page: formatNumber(number) })} role="img" />
      <div ref={textLayer} className="pdf-text-layer" data-testid="pdf-text-layer" />
    </div>
  );
}
