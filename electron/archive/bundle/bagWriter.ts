// Writes a BagIt 1.0 bag (RFC 8493) as a tar stream, for the bundle exporter to encrypt. Payload
// files are streamed into the tar as they are added (hashed on the way, so memory stays flat
// whatever their size); the tag files, which need every checksum, follow at the end. A reader of
// the tar therefore sees the payload first and verifies once it reaches the manifests.
//
// The tar goes to a sink: a Readable (createBagWriter), or anything with the same few methods
// (createBagWriterTo), such as the age file writer, which reads files straight into the buffers it
// encrypts. Either way every payload byte is hashed as it goes out, and the manifest lists the
// hash of the bytes that went out, never a hash taken on trust.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { phrase } from '../../../shared/phrase.ts';
import { BagError } from './bagErrors.ts';
import { checkRelativePath, encodeManifestPath, foldPath } from './bagPath.ts';
import { END_OF_ARCHIVE, padding, tarHeader } from './tarFormat.ts';

export { safeBagName, createNameDeduper } from './bagNames.ts';

export type BagWriterOptions = {
  /** bag-info.txt fields, in order; an array repeats the label. Payload-Oxum is computed. */
  bagInfo: Record<string, string | string[]>;
  /** Modification time of every entry, and the Bagging-Date: fixed, so a bag is reproducible. */
  mtime?: Date;
};

/**
 * A file on disk as a payload source, read directly by sinks that can. With `sha256` (what the
 * caller already knows the content to be), the bytes read must hash to it: a file damaged on disk
 * fails the bag instead of going out under a manifest line that vouches for the damage.
 */
export type BagFileSource = { path: string; sha256?: string };
export type BagSource = Readable | Uint8Array | BagFileSource;

/** Where the tar bytes go. */
export interface TarSink {
  /** Appends bytes. The writer never changes them afterwards, so a sink may keep them until read. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Appends up to `size` bytes of `file` from its start, calling `seen` with each piece (and
   * waiting for it when it returns a promise); resolves to the bytes read.
   */
  copyFile(file: FileHandle, size: number, seen: (bytes: Uint8Array) => void | Promise<void>): Promise<number>;
  /** Appends the last bytes and completes the output. */
  end(last: Uint8Array): Promise<void>;
  /** Fails the output: a partial tar must never pass for a whole one. */
  destroy(error: Error): void;
}

export type BagSinkWriter = {
  /** Adds `data/<bagPath>`; `size` must be the exact byte count. Call one at a time. */
  addFile(bagPath: string, source: BagSource, size: number): Promise<void>;
  /** Writes the tag files and ends the tar. */
  finish(): Promise<void>;
};

export type BagWriter = BagSinkWriter & {
  /** Queues the tag files and ends the tar; the stream ends once they are read. */
  finish(): Promise<void>;
  /** The tar bytes. Consume it while adding files: it applies backpressure. */
  stream: Readable;
};

const FILE_MODE = 0o644;
const LABEL = /^[^\s:][^:\r\n]*$/;
const READ_CHUNK = 1 << 20;
// The Readable's buffer: small, so that an unread stream soon stops pulling from its sources.
const STREAM_BUFFER = 256 * 1024;

// A bad label or value here, like a Payload-Oxum given or a size that is not a byte count below, is
// the caller's mistake and never a bundle's: said in English only, as a programmer error.
function formatBagInfo(fields: Record<string, string | string[]>, extra: [string, string][]): string {
  let text = '';
  for (const [label, value] of [...Object.entries(fields), ...extra]) {
    if (!LABEL.test(label) || label !== label.trim()) {
      throw new BagError('invalid-input', `The bag-info label "${label}" is not valid in bag-info.txt.`);
    }
    for (const one of Array.isArray(value) ? value : [value]) {
      // Continuation lines exist in RFC 8493 but readers disagree on how to join them back; a value
      // that cannot round-trip is refused rather than silently changed.
      if (/[\r\n]/.test(one)) {
        throw new BagError('invalid-input', `The bag-info value for "${label}" contains a line break.`);
      }
      text += `${label}: ${one}\n`;
    }
  }
  return text;
}

/** A sink whose output is a Readable, applying backpressure to the writer. */
class StreamSink implements TarSink {
  readonly stream: Readable;
  #resume: (() => void) | null = null;
  #closed: Error | null = null;

  constructor() {
    this.stream = new Readable({ highWaterMark: STREAM_BUFFER, read: () => this.#wake() });
    this.stream.on('close', () => {
      this.#closed ??= new BagError('io-error', phrase('bundle.bag.streamClosed'));
      this.#wake();
    });
  }

  #wake(): void {
    const resume = this.#resume;
    this.#resume = null;
    resume?.();
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.#closed !== null) throw this.#closed;
    if (bytes.byteLength === 0) return;
    // Kept by reference until read, as tar libraries do: what the bag writer passes is never reused.
    if (!this.stream.push(bytes)) {
      await new Promise<void>((resolve) => (this.#resume = resolve));
      if (this.#closed !== null) throw this.#closed;
    }
  }

  async copyFile(file: FileHandle, size: number, seen: (bytes: Uint8Array) => void | Promise<void>): Promise<number> {
    let done = 0;
    while (done < size) {
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - done));
      const { bytesRead } = await file.read(chunk, 0, chunk.length, done);
      if (bytesRead === 0) break;
      await seen(chunk.subarray(0, bytesRead));
      await this.write(chunk.subarray(0, bytesRead));
      done += bytesRead;
    }
    return done;
  }

  async end(last: Uint8Array): Promise<void> {
    // Not waiting for the reader: a caller may await finish() before draining the stream.
    if (this.#closed !== null) throw this.#closed;
    this.stream.push(Buffer.from(last));
    this.stream.push(null);
  }

  destroy(error: Error): void {
    this.#closed ??= error;
    this.stream.destroy(error);
  }
}

// Byte counts as bare digits, to be compared with what the file system says.
function sizeDiffers(path: string, actual: number, size: number): BagError {
  return new BagError('invalid-input', phrase('bundle.bag.sizeDiffers', { path, actual: String(actual), size: String(size) }), { entry: path });
}

async function checkSourceSize(file: FileHandle, path: string, size: number): Promise<void> {
  const actual = (await file.stat()).size;
  if (actual !== size) {
    throw sizeDiffers(path, actual, size);
  }
}

/** A bag written to `sink`. */
export function createBagWriterTo(sink: TarSink, options: BagWriterOptions): BagSinkWriter {
  const mtime = new Date(Math.floor((options.mtime ?? new Date()).getTime() / 1000) * 1000);
  for (const label of Object.keys(options.bagInfo)) {
    if (label.toLowerCase() === 'payload-oxum') {
      throw new BagError('invalid-input', 'Payload-Oxum is computed by the bag writer and cannot be given.');
    }
  }
  // Validate bag-info now, so a bad label fails before any payload is written, not at the end.
  formatBagInfo(options.bagInfo, []);

  const manifest: string[] = [];
  const filesByFold = new Set<string>();
  const dirsByFold = new Set<string>();
  let octets = 0;
  let count = 0;
  let finished = false;
  let failed: unknown = null;
  // addFile calls are chained, so a caller who forgets to await still gets entries in order.
  let queue: Promise<void> = Promise.resolve();

  const fileHeader = (name: string, size: number) => tarHeader({ name, type: 'file', size, mode: FILE_MODE, mtime });

  // Folders get no tar entries of their own: tar creates them from the file paths, and an entry
  // per folder would be a second entry per item, counted against the reader's entry limit.
  const addDirectory = (path: string): void => {
    const fold = foldPath(path);
    if (dirsByFold.has(fold)) return;
    if (filesByFold.has(fold)) {
      throw new BagError('duplicate-path', phrase('bundle.bag.folderNameTaken', { path }), { entry: path });
    }
    dirsByFold.add(fold);
  };

  const fail = (error: unknown): never => {
    failed ??= error;
    // Ends the tar with an error, so whoever consumes it never mistakes a partial bag for a whole one.
    sink.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  };

  addDirectory('data');

  async function streamEntry(name: string, source: Readable, size: number): Promise<string> {
    const hash = createHash('sha256');
    let written = 0;
    await sink.write(fileHeader(name, size));
    for await (const chunk of source) {
      const bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      written += bytes.byteLength;
      if (written > size) {
        source.destroy();
        throw new BagError('invalid-input', phrase('bundle.bag.largerThanDeclared', { path: name, size: String(size) }), { entry: name });
      }
      hash.update(bytes);
      await sink.write(bytes);
    }
    if (written !== size) {
      throw sizeDiffers(name, written, size);
    }
    await sink.write(padding(size));
    return hash.digest('hex');
  }

  async function copyEntry(name: string, source: BagFileSource, size: number): Promise<string> {
    const hash = createHash('sha256');
    const file = await open(source.path, 'r').catch((error: unknown) => {
      throw new BagError('io-error', phrase('bundle.bag.sourceUnreadable', { path: name, reason: error instanceof Error ? error.message : String(error) }), {
        entry: name,
        cause: error,
      });
    });
    try {
      await checkSourceSize(file, name, size);
      await sink.write(fileHeader(name, size));
      const read = await sink.copyFile(file, size, (bytes) => void hash.update(bytes));
      if (read !== size) {
        throw sizeDiffers(name, read, size);
      }
    } finally {
      await file.close();
    }
    const sha256 = hash.digest('hex');
    if (source.sha256 !== undefined && source.sha256.toLowerCase() !== sha256) {
      throw new BagError('checksum-mismatch', phrase('bundle.bag.sourceDamaged', { path: name }), { entry: name });
    }
    await sink.write(padding(size));
    return sha256;
  }

  async function add(bagPath: string, source: BagSource, size: number): Promise<void> {
    if (failed !== null) throw failed;
    if (finished) throw new BagError('invalid-input', 'Files cannot be added after the bag is finished.');
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new BagError('invalid-input', `The size given for "${bagPath}" is not a byte count.`, { entry: bagPath });
    }
    try {
      checkRelativePath(bagPath);
      const path = `data/${bagPath}`;
      const fold = foldPath(path);
      if (filesByFold.has(fold) || dirsByFold.has(fold)) {
        throw new BagError('duplicate-path', phrase('bundle.bag.alreadyInBag', { path }), { entry: path });
      }
      const segments = path.split('/');
      for (let i = 2; i < segments.length; i++) addDirectory(segments.slice(0, i).join('/'));
      filesByFold.add(fold);
      let sha256: string;
      if (source instanceof Uint8Array) {
        if (source.byteLength !== size) {
          throw sizeDiffers(path, source.byteLength, size);
        }
        sha256 = createHash('sha256').update(source).digest('hex');
        await sink.write(fileHeader(path, size));
        await sink.write(source);
        await sink.write(padding(size));
      } else if (source instanceof Readable) {
        sha256 = await streamEntry(path, source, size);
      } else {
        sha256 = await copyEntry(path, source, size);
      }
      manifest.push(`${sha256}  ${encodeManifestPath(path)}\n`);
      octets += size;
      count++;
    } catch (error) {
      fail(error);
    }
  }

  return {
    addFile(bagPath, source, size) {
      const next = queue.then(() => add(bagPath, source, size));
      queue = next.catch(() => undefined);
      return next;
    },
    async finish() {
      await queue;
      if (failed !== null) throw failed;
      if (finished) return;
      finished = true;
      try {
        const day = mtime.toISOString().slice(0, 10);
        const hasDate = Object.keys(options.bagInfo).some((l) => l.toLowerCase() === 'bagging-date');
        const extra: [string, string][] = hasDate ? [] : [['Bagging-Date', day]];
        extra.push(['Payload-Oxum', `${octets}.${count}`]);
        const tags: [string, Buffer][] = [
          ['bagit.txt', Buffer.from('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')],
          ['bag-info.txt', Buffer.from(formatBagInfo(options.bagInfo, extra))],
          ['manifest-sha256.txt', Buffer.from(manifest.join(''))],
        ];
        const tagManifest = tags.map(([name, body]) => `${createHash('sha256').update(body).digest('hex')}  ${name}\n`).join('');
        tags.push(['tagmanifest-sha256.txt', Buffer.from(tagManifest)]);
        const tail: Uint8Array[] = [];
        for (const [name, body] of tags) tail.push(fileHeader(name, body.byteLength), body, padding(body.byteLength));
        tail.push(END_OF_ARCHIVE);
        await sink.end(Buffer.concat(tail));
      } catch (error) {
        fail(error);
      }
    },
  };
}

/** A bag written as a tar stream: `stream`. */
export function createBagWriter(options: BagWriterOptions): BagWriter {
  const sink = new StreamSink();
  const writer = createBagWriterTo(sink, options);
  return { ...writer, stream: sink.stream };
}
