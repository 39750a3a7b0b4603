// Writes a BagIt 1.0 bag (RFC 8493) as a tar stream, for the bundle exporter to encrypt. Payload
// files are streamed into the tar as they are added (hashed on the way, so memory stays flat
// whatever their size); the tag files, which need every checksum, follow at the end. A reader of
// the tar therefore sees the payload first and verifies once it reaches the manifests.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import type { Pack } from 'tar-stream';
import { BagError } from './bagErrors.ts';
import { checkRelativePath, encodeManifestPath, foldPath } from './bagPath.ts';

export { safeBagName, createNameDeduper } from './bagNames.ts';

export type BagWriterOptions = {
  /** bag-info.txt fields, in order; an array repeats the label. Payload-Oxum is computed. */
  bagInfo: Record<string, string | string[]>;
  /** Modification time of every entry, and the Bagging-Date: fixed, so a bag is reproducible. */
  mtime?: Date;
};

export type BagWriter = {
  /** Adds `data/<bagPath>`; `size` must be the exact byte count. Call one at a time. */
  addFile(bagPath: string, source: Readable | Uint8Array, size: number): Promise<void>;
  /** Queues the tag files and ends the tar; the stream ends once they are read. */
  finish(): Promise<void>;
  /** The tar bytes. Consume it while adding files: it applies backpressure. */
  stream: Readable;
};

const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
const LABEL = /^[^\s:][^:\r\n]*$/;

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

export function createBagWriter(options: BagWriterOptions): BagWriter {
  const mtime = new Date(Math.floor((options.mtime ?? new Date()).getTime() / 1000) * 1000);
  for (const label of Object.keys(options.bagInfo)) {
    if (label.toLowerCase() === 'payload-oxum') {
      throw new BagError('invalid-input', 'Payload-Oxum is computed by the bag writer and cannot be given.');
    }
  }
  // Validate bag-info now, so a bad label fails before any payload is written, not at the end.
  formatBagInfo(options.bagInfo, []);

  const tar: Pack = pack();
  const stream = Readable.from(tar, { objectMode: false });
  const manifest: string[] = [];
  const filesByFold = new Set<string>();
  const dirsByFold = new Set<string>();
  let octets = 0;
  let count = 0;
  let finished = false;
  let failed: unknown = null;
  // addFile calls are chained, so a caller who forgets to await still gets entries in order.
  let queue: Promise<void> = Promise.resolve();

  const header = (name: string, type: 'file' | 'directory', size: number) => ({
    name,
    type,
    size,
    mode: type === 'file' ? FILE_MODE : DIR_MODE,
    mtime,
    uid: 0,
    gid: 0,
    uname: '',
    gname: '',
  });

  const addDirectory = (path: string): void => {
    const fold = foldPath(path);
    if (dirsByFold.has(fold)) return;
    if (filesByFold.has(fold)) {
      throw new BagError('duplicate-path', `The folder "${path}" has the same name as a file already in the bag.`, { entry: path });
    }
    dirsByFold.add(fold);
    tar.entry(header(`${path}/`, 'directory', 0));
  };

  const fail = (error: unknown): never => {
    failed ??= error;
    // Ends the tar with an error, so whoever consumes it never mistakes a partial bag for a whole one.
    tar.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  };

  addDirectory('data');

  const writeEntry = (name: string, size: number, body: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      tar.entry(header(name, 'file', size), body, (err) => (err ? reject(err) : resolve()));
    });

  async function streamEntry(name: string, source: Readable, size: number): Promise<string> {
    const hash = createHash('sha256');
    let written = 0;
    const sink = tar.entry(header(name, 'file', size), () => undefined);
    const done = new Promise<void>((resolve, reject) => {
      sink.on('error', reject);
      sink.on('finish', () => resolve());
      sink.on('close', () => resolve());
    });
    // If this entry fails before `done` is awaited, the tar is destroyed and `done` rejects with
    // nobody listening; the real error is the one thrown below.
    done.catch(() => undefined);
    for await (const chunk of source) {
      const bytes: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
      written += bytes.byteLength;
      if (written > size) {
        source.destroy();
        throw new BagError('invalid-input', `The file "${name}" is larger than the ${size} bytes declared for it.`, { entry: name });
      }
      hash.update(bytes);
      if (!sink.write(bytes)) {
        await new Promise<void>((resolve, reject) => {
          const onDrain = () => { sink.off('close', onClose); resolve(); };
          const onClose = () => { sink.off('drain', onDrain); reject(new BagError('io-error', `The bag stream was closed while writing "${name}".`, { entry: name })); };
          sink.once('drain', onDrain);
          sink.once('close', onClose);
        });
      }
    }
    if (written !== size) {
      throw new BagError('invalid-input', `The file "${name}" has ${written} bytes, not the ${size} declared for it.`, { entry: name });
    }
    sink.end(null);
    await done;
    return hash.digest('hex');
  }

  async function add(bagPath: string, source: Readable | Uint8Array, size: number): Promise<void> {
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
        throw new BagError('duplicate-path', `"${path}" is already in the bag (names differing only in case or accents count as the same).`, { entry: path });
      }
      const segments = path.split('/');
      for (let i = 2; i < segments.length; i++) addDirectory(segments.slice(0, i).join('/'));
      filesByFold.add(fold);
      let sha256: string;
      if (source instanceof Uint8Array) {
        if (source.byteLength !== size) {
          throw new BagError('invalid-input', `The file "${path}" has ${source.byteLength} bytes, not the ${size} declared for it.`, { entry: path });
        }
        sha256 = createHash('sha256').update(source).digest('hex');
        await writeEntry(path, size, source);
      } else {
        sha256 = await streamEntry(path, source, size);
      }
      manifest.push(`${sha256}  ${encodeManifestPath(path)}\n`);
      octets += size;
      count++;
    } catch (error) {
      fail(error);
    }
  }

  return {
    stream,
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
        // Not awaited: the entries complete only as the consumer reads, and a caller that awaits
        // finish() before draining the stream must not deadlock. A failure still ends the stream.
        for (const [name, body] of tags) writeEntry(name, body.byteLength, body).catch((error: unknown) => tar.destroy(error as Error));
        tar.finalize();
      } catch (error) {
        fail(error);
      }
    },
  };
}
