// Thumbnails drawn in the renderer from the media itself (a video is seeked a little way in and
// its frame drawn to a canvas), then kept in memory as blob URLs for this session only. Not on
// disk: frames of evidence (graphic or protected material among it) kept in the browser profile
// would outlive the item's trash, the archive folder being moved to an encrypted drive, and the
// archive itself, and whoever holds the laptop could read them there.
import { useEffect, useState } from 'react';
import { api } from './api.ts';

const WIDTH = 320;
const MEMORY_LIMIT = 600;
const CONCURRENCY = 2;
const TIMEOUT_MS = 20_000;

/** Where earlier versions kept thumbnails across sessions (IndexedDB): removed once, at start. */
export const FORMER_THUMBNAIL_DB = 'sijil-thumbnails';

function forgetStoredThumbnails(): void {
  try {
    indexedDB.deleteDatabase(FORMER_THUMBNAIL_DB);
  } catch {
    // No IndexedDB here (a private window): there is nothing to remove.
  }
}
forgetStoredThumbnails();

// ---- drawing ----------------------------------------------------------------------------------

function canvasBlob(source: CanvasImageSource, width: number, height: number): Promise<Blob | null> {
  if (!width || !height) return Promise.resolve(null);
  const scale = Math.min(1, WIDTH / width);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.resolve(null);
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => {
    try {
      canvas.toBlob((blob) => resolve(blob), 'image/jpeg', 0.82);
    } catch {
      // A tainted canvas (media from another origin without CORS) cannot be read back.
      resolve(null);
    }
  });
}

function once(target: EventTarget, ok: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      cleanup();
      resolve();
    };
    const fail = () => {
      cleanup();
      reject(new Error('media failed'));
    };
    const cleanup = () => {
      target.removeEventListener(ok, done);
      target.removeEventListener('error', fail);
      signal.removeEventListener('abort', fail);
    };
    target.addEventListener(ok, done);
    target.addEventListener('error', fail);
    signal.addEventListener('abort', fail);
  });
}

async function drawImage(url: string): Promise<Blob | null> {
  const img = new Image();
  // In the desktop app media comes from another origin (sijil-media:), which grants the app CORS;
  // without asking for it the canvas is tainted and cannot be read back.
  img.crossOrigin = 'anonymous';
  img.decoding = 'async';
  img.src = url;
  await img.decode();
  return canvasBlob(img, img.naturalWidth, img.naturalHeight);
}

async function drawVideo(url: string, signal: AbortSignal): Promise<Blob | null> {
  const video = document.createElement('video');
  video.crossOrigin = 'anonymous';
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  try {
    const loaded = once(video, 'loadeddata', signal);
    video.src = url;
    await loaded;
    // A frame a little way in: the first frame of a recording is often black.
    const target = Number.isFinite(video.duration) ? Math.min(video.duration * 0.1, 3) : 0;
    if (target > 0) {
      const seeked = once(video, 'seeked', signal);
      video.currentTime = target;
      await seeked;
    }
    return await canvasBlob(video, video.videoWidth, video.videoHeight);
  } finally {
    // Let go of the decoder and the connection at once.
    video.removeAttribute('src');
    video.load();
  }
}

async function draw(url: string, mime: string): Promise<Blob | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    return mime.startsWith('video/') ? await drawVideo(url, controller.signal) : await drawImage(url);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

// ---- queue and cache --------------------------------------------------------------------------

interface Job {
  readonly key: string;
  readonly run: () => Promise<string | null>;
  readonly resolve: (url: string | null) => void;
  wanted: number;
}

const memory = new Map<string, Promise<string | null>>();
const jobs = new Map<string, Job>();
const queue: Job[] = [];
let running = 0;

function remember(key: string, value: Promise<string | null>): void {
  memory.set(key, value);
  while (memory.size > MEMORY_LIMIT) {
    const oldest = memory.keys().next().value as string;
    const url = memory.get(oldest);
    memory.delete(oldest);
    void url?.then((u) => u && URL.revokeObjectURL(u));
  }
}

function pump(): void {
  while (running < CONCURRENCY && queue.length > 0) {
    // Newest first: the rows just scrolled to are the ones on screen.
    const job = queue.pop()!;
    if (job.wanted <= 0) {
      // Scrolled past before its turn: forget it, so it is asked for afresh if it comes back.
      jobs.delete(job.key);
      memory.delete(job.key);
      job.resolve(null);
      continue;
    }
    running++;
    jobs.delete(job.key);
    job
      .run()
      .then(job.resolve, () => job.resolve(null))
      .finally(() => {
        running--;
        pump();
      });
  }
}

function request(itemId: string, fileId: number, mime: string): { promise: Promise<string | null>; release: () => void } {
  const key = `${itemId}/${fileId}`;
  const known = memory.get(key);
  const pending = jobs.get(key);
  if (known && !pending) return { promise: known, release: () => undefined };
  if (known && pending) {
    pending.wanted++;
    return { promise: known, release: () => void pending.wanted-- };
  }
  let resolve!: (url: string | null) => void;
  const promise = new Promise<string | null>((r) => (resolve = r));
  const job: Job = {
    key,
    wanted: 1,
    resolve,
    run: async () => {
      const blob = await draw(api.mediaUrl(itemId, fileId), mime);
      return blob ? URL.createObjectURL(blob) : null;
    },
  };
  jobs.set(key, job);
  remember(key, promise);
  queue.push(job);
  queueMicrotask(pump);
  return { promise, release: () => void job.wanted-- };
}

/** The thumbnail's blob URL: undefined while drawing, null when none can be drawn. */
export function useThumbnail(itemId: string, media: { fileId: number; mime: string } | null): string | null | undefined {
  const [url, setUrl] = useState<string | null | undefined>(media ? undefined : null);
  const fileId = media?.fileId;
  const mime = media?.mime;
  useEffect(() => {
    if (fileId === undefined || mime === undefined) {
      setUrl(null);
      return;
    }
    let live = true;
    setUrl(undefined);
    const { promise, release } = request(itemId, fileId, mime);
    void promise.then((u) => live && setUrl(u));
    return () => {
      live = false;
      release();
    };
  }, [itemId, fileId, mime]);
  return url;
}
