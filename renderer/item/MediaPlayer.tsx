// Video and audio from the archive, streamed by the door with HTTP Range so seeking is instant
// whatever the file's size.
import { useTranslation } from 'react-i18next';
import type { FileRecord } from '../../shared/domain.ts';
import { api } from '../api.ts';
import { useThumbnail } from '../thumbnails.ts';

export function MediaPlayer({ itemId, file }: { itemId: string; file: FileRecord }) {
  const { t } = useTranslation('item');
  const src = api.mediaUrl(itemId, file.id);
  // The library's cached frame stands in until the video loads (preload is metadata only).
  const poster = useThumbnail(itemId, file.mime.startsWith('video/') ? { fileId: file.id, mime: file.mime } : null);
  if (file.mime.startsWith('audio/')) {
    return (
      <div className="audio-player">
        <audio controls preload="metadata" src={src} aria-label={t('player.audio', { name: file.name })} data-testid="media-player" />
      </div>
    );
  }
  return (
    <div className="video-player">
      <video controls preload="metadata" src={src} poster={poster ?? undefined} aria-label={t('player.video', { name: file.name })} data-testid="media-player" playsInline />
    </div>
  );
}
