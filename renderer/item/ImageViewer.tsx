// An image at fit-to-view or any zoom, panned by dragging or scrolling; Ctrl + wheel zooms.
import { useRef, useState, type PointerEvent, type WheelEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileRecord } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { Icon } from '../components/Icon.tsx';
import { formatNumber, formatPercent } from '../format.ts';

const STEPS = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8];

export function ImageViewer({ itemId, file, alt }: { itemId: string; file: FileRecord; alt: string }) {
  const { t } = useTranslation('item');
  const [zoom, setZoom] = useState<number | 'fit'>('fit');
  const [natural, setNatural] = useState<{ w: number; h: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const drag = useRef<{ x: number; y: number; left: number; top: number } | null>(null);

  const current = (): number => {
    if (zoom !== 'fit') return zoom;
    const el = frame.current;
    if (!el || !natural) return 1;
    return Math.min(1, el.clientWidth / natural.w, el.clientHeight / natural.h);
  };
  const step = (dir: 1 | -1) => {
    const now = current();
    const next = dir > 0 ? STEPS.find((s) => s > now + 0.001) : [...STEPS].reverse().find((s) => s < now - 0.001);
    setZoom(next ?? (dir > 0 ? STEPS[STEPS.length - 1]! : STEPS[0]!));
  };

  const onWheel = (e: WheelEvent) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    step(e.deltaY < 0 ? 1 : -1);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (zoom === 'fit' || !frame.current) return;
    frame.current.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, left: frame.current.scrollLeft, top: frame.current.scrollTop };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || !frame.current) return;
    frame.current.scrollLeft = d.left - (e.clientX - d.x);
    frame.current.scrollTop = d.top - (e.clientY - d.y);
  };

  const scale = zoom === 'fit' ? null : zoom;
  return (
    <div className="image-viewer">
      <div className="viewer-toolbar toolbar" role="toolbar" aria-label={t('image.tools')}>
        <button type="button" className="btn btn-icon btn-small" onClick={() => step(-1)} aria-label={t('image.zoomOut')} title={t('image.zoomOut')}>
          <Icon name="zoomOut" size={16} />
        </button>
        <span className="zoom-level" aria-live="polite">
          {natural ? formatPercent(current()) : ''}
        </span>
        <button type="button" className="btn btn-icon btn-small" onClick={() => step(1)} aria-label={t('image.zoomIn')} title={t('image.zoomIn')}>
          <Icon name="zoomIn" size={16} />
        </button>
        <button type="button" className="btn btn-small" onClick={() => setZoom('fit')} aria-pressed={zoom === 'fit'}>
          {t('image.fit')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setZoom(1)} aria-pressed={zoom === 1}>
          {/* Written as the zoom level is, so both use the same digits. */}
          {formatPercent(1)}
        </button>
        {natural && (
          <span className="faint">
            {formatNumber(natural.w)} × {formatNumber(natural.h)}
          </span>
        )}
      </div>
      <div
        ref={frame}
        className={`image-frame${scale ? ' is-zoomed' : ''}`}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        tabIndex={0}
        aria-label={t('image.frame')}
        onKeyDown={(e) => {
          if (e.key === '+' || e.key === '=') step(1);
          else if (e.key === '-') step(-1);
          else if (e.key === '0') setZoom('fit');
        }}
      >
        {failed ? (
          <p className="muted">{t('image.failed')}</p>
        ) : (
          <img
            src={api.mediaUrl(itemId, file.id)}
            alt={alt}
            draggable={false}
            onLoad={(e) => setNatural({ w: e.currentTarget.naturalWidth, h: e.currentTarget.naturalHeight })}
            onError={() => setFailed(true)}
            style={scale && natural ? { inlineSize: natural.w * scale, blockSize: natural.h * scale, maxInlineSize: 'none', maxBlockSize: 'none' } : undefined}
          />
        )}
      </div>
    </div>
  );
}
