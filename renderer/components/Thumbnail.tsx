// An item's thumbnail, or its kind's icon when it has no picture. Graphic items are blurred:
// the list never shows graphic material unasked (the item view reveals it on a click).
import { useTranslation } from 'react-i18next';
import type { ItemSummary } from '../../shared/domain.ts';
import { useThumbnail } from '../thumbnails.ts';
import { Icon, KindIcon } from './Icon.tsx';

export function Thumbnail({ item, size }: { item: ItemSummary; size: 'small' | 'large' }) {
  const { t } = useTranslation('library');
  const url = useThumbnail(item.id, item.media);
  const graphic = item.sensitivity === 'graphic';
  return (
    <div className={`thumb thumb-${size}${graphic ? ' thumb-graphic' : ''}`} data-kind={item.kind}>
      {url ? <img src={url} alt="" draggable={false} /> : <KindIcon kind={item.kind} size={size === 'small' ? 18 : 32} />}
      {graphic && (
        <span className="thumb-veil" title={t('graphicHidden')}>
          <Icon name="eyeOff" size={size === 'small' ? 14 : 20} label={t('graphicHidden')} />
        </span>
      )}
      {url && item.media?.mime.startsWith('video/') && size === 'large' && (
        <span className="thumb-play" aria-hidden="true">
          <Icon name="play" size={14} />
        </span>
      )}
    </div>
  );
}
