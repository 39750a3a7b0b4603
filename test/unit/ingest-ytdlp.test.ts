import { describe, expect, it } from 'vitest';
import { readYtDlpInfo, sidecarFor } from '../../electron/archive/ingest/ytdlp.ts';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

// The shape yt-dlp 2024+ writes with --write-info-json (keys in its order, formats trimmed).
const youtube = {
  id: 'Xk3vT9qLm2A',
  title: 'مناشدة أم سجاد للإفراج عن ابنها',
  formats: [{ format_id: '18', ext: 'mp4', url: 'https://rr1---sn.example.test/videoplayback?itag=18' }],
  thumbnails: [{ url: 'https://i.ytimg.com/vi/Xk3vT9qLm2A/hqdefault.jpg', id: '0' }],
  thumbnail: 'https://i.ytimg.com/vi/Xk3vT9qLm2A/hqdefault.jpg',
  description: 'مناشدة من والدة الناشط المختطف في الناصرية.\nشاركوا الفيديو.',
  channel_id: 'UC1234567890abcdefghij',
  channel_url: 'https://www.youtube.com/channel/UC1234567890abcdefghij',
  duration: 95,
  view_count: 10234,
  webpage_url: 'https://www.youtube.com/watch?v=Xk3vT9qLm2A',
  categories: ['News & Politics'],
  tags: ['الناصرية', 'ذي قار', 'kidnapping', 42],
  channel: 'قناة أخبار الجنوب',
  uploader: 'قناة أخبار الجنوب',
  uploader_id: '@south-news',
  uploader_url: 'https://www.youtube.com/@south-news',
  upload_date: '20200709',
  timestamp: 1594300000,
  language: 'ar',
  extractor: 'youtube',
  extractor_key: 'Youtube',
  webpage_url_domain: 'youtube.com',
  ext: 'mp4',
  _type: 'video',
  _version: { version: '2024.08.06', repository: 'yt-dlp/yt-dlp' },
};

describe('readYtDlpInfo', () => {
  it('maps a YouTube sidecar to the video item fields', () => {
    const info = readYtDlpInfo(bytes(youtube));
    expect(info).toEqual({
      title: 'مناشدة أم سجاد للإفراج عن ابنها',
      description: 'مناشدة من والدة الناشط المختطف في الناصرية.\nشاركوا الفيديو.',
      sourceUrl: 'https://www.youtube.com/watch?v=Xk3vT9qLm2A',
      sourceOutlet: 'YouTube',
      sourceAuthor: 'قناة أخبار الجنوب',
      publishedAt: '2020-07-09',
      language: 'ar',
      extra: {
        ytdlpId: 'Xk3vT9qLm2A',
        extractor: 'Youtube',
        duration: 95,
        uploaderId: '@south-news',
        channelUrl: 'https://www.youtube.com/channel/UC1234567890abcdefghij',
        tags: ['الناصرية', 'ذي قار', 'kidnapping'],
      },
    });
    expect(info).not.toHaveProperty('kind');
  });

  it('keeps a channel name that differs from the uploader', () => {
    const info = readYtDlpInfo(bytes({ ...youtube, uploader: 'Reporter', channel: 'South News' }));
    expect(info.sourceAuthor).toBe('Reporter');
    expect(info.extra).toMatchObject({ channel: 'South News' });
  });

  it('NFC-normalises strings', () => {
    const decomposed = 'Cafe\u0301 raid'; // e + combining acute
    const info = readYtDlpInfo(bytes({ ...youtube, title: decomposed }));
    expect(info.title).toBe('Café raid');
    expect(info.title).toBe(info.title!.normalize('NFC'));
    expect(info.title!.length).toBe(9);
  });

  it('falls back to the timestamp when upload_date is missing, and tolerates odd field types', () => {
    const info = readYtDlpInfo(
      bytes({
        id: 123456,
        title: 'Protest in the square',
        uploader_id: 987654,
        duration: null,
        timestamp: 1594300000,
        webpage_url: 'https://twitter.com/someone/status/123456',
        extractor: 'twitter',
        extractor_key: 'Twitter',
        tags: 'not-a-list',
      }),
    );
    expect(info.publishedAt).toBe('2020-07-09T13:06:40Z');
    expect(info.sourceOutlet).toBe('Twitter');
    expect(info.extra).toEqual({ ytdlpId: '123456', extractor: 'Twitter', uploaderId: '987654' });
  });

  it('names the site for the generic extractor', () => {
    const info = readYtDlpInfo(
      bytes({ id: 'clip', title: 'Clip', webpage_url: 'https://www.example-news.test/video/clip', extractor: 'generic', extractor_key: 'Generic' }),
    );
    expect(info.sourceOutlet).toBe('example-news.test');
  });

  it('ignores a non-http page URL and an impossible date', () => {
    const info = readYtDlpInfo(bytes({ ...youtube, webpage_url: 'javascript:alert(1)', upload_date: '20201345', timestamp: undefined }));
    expect(info.sourceUrl).toBeNull();
    expect(info.publishedAt).toBeNull();
  });

  it.each([
    ['not JSON', 'this is not json', /is not a yt-dlp \.info\.json file: it is not JSON/],
    ['an array', '[1, 2, 3]', /is not a yt-dlp \.info\.json file: it is not a JSON object/],
    ['JSON without an id', JSON.stringify({ title: 'x', extractor: 'youtube' }), /is not a yt-dlp \.info\.json file: it has no "id"/],
    ['JSON of something else', JSON.stringify({ id: 'x', name: 'package' }), /is not a yt-dlp \.info\.json file: it names no extractor/],
    ['binary', '\u0000\u0001\u0002', /is not a yt-dlp \.info\.json file/],
  ])('rejects %s with a clear message', (_, input, message) => {
    expect(() => readYtDlpInfo(bytes(input))).toThrow(message);
  });
});

describe('sidecarFor', () => {
  const dir = '/media/downloads';
  const at = (...names: string[]) => names.map((n) => `${dir}/${n}`);

  it("pairs yt-dlp's default names: the extension replaced by .info.json", () => {
    const siblings = at('Appeal [Xk3vT9qLm2A].info.json', 'Other [abcdEFGH123].info.json');
    expect(sidecarFor(`${dir}/Appeal [Xk3vT9qLm2A].mp4`, siblings)).toBe(`${dir}/Appeal [Xk3vT9qLm2A].info.json`);
    // After a merge into .mkv or .webm the stem is the same.
    expect(sidecarFor(`${dir}/Appeal [Xk3vT9qLm2A].mkv`, siblings)).toBe(`${dir}/Appeal [Xk3vT9qLm2A].info.json`);
  });

  it('pairs the appended form name.mp4.info.json', () => {
    expect(sidecarFor(`${dir}/clip.mp4`, at('clip.mp4.info.json'))).toBe(`${dir}/clip.mp4.info.json`);
  });

  it('prefers the exact stem over the appended form', () => {
    expect(sidecarFor(`${dir}/clip.mp4`, at('clip.mp4.info.json', 'clip.info.json'))).toBe(`${dir}/clip.info.json`);
  });

  it('pairs a kept per-format file with the video sidecar', () => {
    expect(sidecarFor(`${dir}/Appeal [Xk3vT9qLm2A].f137.mp4`, at('Appeal [Xk3vT9qLm2A].info.json'))).toBe(
      `${dir}/Appeal [Xk3vT9qLm2A].info.json`,
    );
  });

  it('matches names case-insensitively when nothing matches exactly', () => {
    expect(sidecarFor(`${dir}/CLIP.MP4`, at('clip.info.json'))).toBe(`${dir}/clip.info.json`);
  });

  it('falls back to the bracketed video id when the titles differ, but only when it is unambiguous', () => {
    expect(sidecarFor(`${dir}/renamed by hand [Xk3vT9qLm2A].mp4`, at('Appeal [Xk3vT9qLm2A].info.json'))).toBe(
      `${dir}/Appeal [Xk3vT9qLm2A].info.json`,
    );
    expect(sidecarFor(`${dir}/x [Xk3vT9qLm2A].mp4`, at('a [Xk3vT9qLm2A].info.json', 'b [Xk3vT9qLm2A].info.json'))).toBeNull();
  });

  it('works with bare names as siblings and returns them as given', () => {
    expect(sidecarFor('Appeal [Xk3vT9qLm2A].webm', ['Appeal [Xk3vT9qLm2A].info.json', 'notes.txt'])).toBe(
      'Appeal [Xk3vT9qLm2A].info.json',
    );
  });

  it('finds nothing for an unrelated video, and never pairs thumbnails or subtitles', () => {
    expect(sidecarFor(`${dir}/holiday.mp4`, at('Appeal [Xk3vT9qLm2A].info.json'))).toBeNull();
    expect(sidecarFor(`${dir}/Appeal [Xk3vT9qLm2A].webp`, at('Appeal [Xk3vT9qLm2A].info.json'))).toBeNull();
    expect(sidecarFor(`${dir}/Appeal [Xk3vT9qLm2A].ar.vtt`, at('Appeal [Xk3vT9qLm2A].info.json'))).toBeNull();
    expect(sidecarFor(`${dir}/Appeal [Xk3vT9qLm2A].info.json`, at('Appeal [Xk3vT9qLm2A].info.json'))).toBeNull();
  });
});
