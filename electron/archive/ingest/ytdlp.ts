// yt-dlp's --write-info-json sidecar: what the site said about a video when it was downloaded.
// Researchers download with yt-dlp because videos get taken down; the sidecar keeps the title,
// uploader, date and page URL that would otherwise be lost with the page.
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { ArchiveError } from '../../../shared/errors.ts';
import { isPhraseKey, phrase, type Phrase } from '../../../shared/phrase.ts';
import { rule } from '../../../shared/validation.ts';
import { normaliseDate } from './dates.ts';
import { primaryLanguage } from './language.ts';
import { cleanText, clip, httpUrl, oneLine } from './strings.ts';
import type { Extracted } from './types.ts';

// yt-dlp's extractors disagree on field types (an uploader id may be a number, a duration null),
// so every optional field falls back to undefined instead of failing the whole file.
const text = z.union([z.string(), z.number().transform(String)]).optional().catch(undefined);
const num = z.number().finite().optional().catch(undefined);

const Info = z
  .looseObject({
    id: z.union([z.string().min(1), z.number().transform(String)], rule('import.ytdlp.noId')),
    title: text,
    fulltitle: text,
    description: text,
    uploader: text,
    uploader_id: text,
    uploader_url: text,
    channel: text,
    channel_url: text,
    creator: text,
    upload_date: text,
    release_date: text,
    timestamp: num,
    duration: num,
    webpage_url: text,
    webpage_url_domain: text,
    extractor: text,
    extractor_key: text,
    language: text,
    tags: z.array(z.unknown()).optional().catch(undefined),
  })
  .refine((info) => info.extractor !== undefined || info.extractor_key !== undefined || info.webpage_url !== undefined, rule('import.ytdlp.noSource'));

/** The metadata of a yt-dlp .info.json, for the video item it describes. */
export function readYtDlpInfo(bytes: Uint8Array): Partial<Extracted> {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch {
    throw notInfo(phrase('import.ytdlp.notJson'));
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw notInfo(phrase('import.ytdlp.notObject'));
  }
  const parsed = Info.safeParse(json);
  if (!parsed.success) {
    // The schema's own rules are phrases; anything else zod says stays as it said it.
    const message = parsed.error.issues[0]?.message;
    throw notInfo(message === undefined ? phrase('import.ytdlp.notOne') : isPhraseKey(message) ? { key: message } : message);
  }
  const info = parsed.data;

  const uploader = oneLine(info.uploader);
  const channel = oneLine(info.channel);
  const tags = (info.tags ?? []).flatMap((tag) => {
    const t = typeof tag === 'string' ? oneLine(tag, 200) : null;
    return t ? [t] : [];
  });
  const extra = compact({
    ytdlpId: oneLine(info.id, 500),
    extractor: oneLine(info.extractor_key ?? info.extractor, 200),
    duration: info.duration,
    uploaderId: oneLine(info.uploader_id, 500),
    channel: channel !== uploader ? channel : null,
    channelUrl: httpUrl(info.channel_url ?? info.uploader_url),
    tags: tags.length > 0 ? tags : null,
  });
  const description = typeof info.description === 'string' ? cleanText(info.description).trim() : '';

  return {
    title: oneLine(info.title ?? info.fulltitle),
    description: description === '' ? null : clip(description, 100_000),
    sourceUrl: httpUrl(info.webpage_url),
    sourceOutlet: outletName(info),
    sourceAuthor: uploader ?? channel ?? oneLine(info.creator),
    publishedAt: publishedDate(info),
    language: primaryLanguage(info.language),
    extra,
  };
}

function notInfo(why: Phrase | string): ArchiveError {
  return new ArchiveError('unsupported-file', phrase('import.ytdlp.notInfo', { why }));
}

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined));
}

function publishedDate(info: z.infer<typeof Info>): string | null {
  const date = normaliseDate(info.upload_date) ?? normaliseDate(info.release_date);
  if (date) return date;
  if (info.timestamp !== undefined) {
    const d = new Date(info.timestamp * 1000);
    if (!Number.isNaN(d.getTime())) return d.toISOString().replace('.000Z', 'Z');
  }
  return null;
}

// extractor_key is a Python class name ("Youtube", "YoutubeTab", "TwitterBroadcast"): show the
// site's own spelling for the sites researchers use most.
const SITES: readonly (readonly [string, string])[] = [
  ['youtube', 'YouTube'],
  ['tiktok', 'TikTok'],
  ['twitter', 'Twitter'],
  ['facebook', 'Facebook'],
  ['instagram', 'Instagram'],
  ['telegram', 'Telegram'],
  ['vimeo', 'Vimeo'],
  ['dailymotion', 'Dailymotion'],
  ['reddit', 'Reddit'],
  ['soundcloud', 'SoundCloud'],
  ['rumble', 'Rumble'],
];

function outletName(info: z.infer<typeof Info>): string | null {
  const key = (info.extractor_key ?? info.extractor ?? '').toLowerCase();
  const site = SITES.find(([prefix]) => key.startsWith(prefix));
  if (site) return site[1];
  if (key === '' || key === 'generic') {
    const page = httpUrl(info.webpage_url);
    return oneLine(info.webpage_url_domain) ?? (page ? new URL(page).hostname.replace(/^www\./, '') : null);
  }
  return oneLine(info.extractor_key ?? info.extractor, 200);
}

const BY_PRODUCTS = new Set([
  '.json', '.jpg', '.jpeg', '.png', '.webp', '.gif', '.vtt', '.srt', '.ass', '.lrc', '.ttml', '.srv1', '.srv2',
  '.srv3', '.json3', '.description', '.annotations', '.part', '.ytdl', '.url', '.webloc', '.desktop',
]);

/**
 * The .info.json that yt-dlp wrote for a video, among the names in the same folder.
 *
 * yt-dlp names the sidecar by replacing the media extension with "info.json"
 * ("Title [id].mp4" -> "Title [id].info.json"), and appends it instead ("name.mp4.info.json")
 * when the output template's extension differs from the media's. After a merge or remux the
 * video's extension changes but the sidecar keeps the stem; kept per-format files are named
 * "Title [id].f137.mp4". As a last resort the video id in brackets, yt-dlp's default template,
 * pairs a video with the one sidecar that carries the same id.
 */
export function sidecarFor(videoPath: string, siblings: readonly string[]): string | null {
  const name = basename(videoPath);
  const ext = extname(name);
  // yt-dlp's other by-products share the stem (thumbnails, subtitles, descriptions): the sidecar
  // describes the media, not them.
  if (BY_PRODUCTS.has(ext.toLowerCase())) return null;
  const stem = ext ? name.slice(0, -ext.length) : name;
  const formatStem = /^(.+)\.f[0-9A-Za-z_-]+$/.exec(stem)?.[1];
  const wanted = [`${stem}.info.json`, `${name}.info.json`];
  if (formatStem) wanted.push(`${formatStem}.info.json`);

  const sidecars = siblings.filter((s) => basename(s).toLowerCase().endsWith('.info.json') && basename(s) !== name);
  for (const want of wanted) {
    const hit = sidecars.find((s) => basename(s) === want);
    if (hit) return hit;
  }
  // Case-insensitive file systems (Windows, macOS) let names drift in case.
  for (const want of wanted.map((w) => w.toLowerCase())) {
    const hit = sidecars.find((s) => basename(s).toLowerCase() === want);
    if (hit) return hit;
  }
  const id = /\[([0-9A-Za-z_-]{4,})\]$/.exec(formatStem ?? stem)?.[1];
  if (id) {
    const byId = sidecars.filter((s) => basename(s).includes(`[${id}]`));
    if (byId.length === 1) return byId[0] ?? null;
  }
  return null;
}
