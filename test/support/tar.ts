// Tar streams read and written whole in memory, for tests that take a bag apart and put a
// (possibly hostile) one together again.
import { extract, pack, type Header } from 'tar-stream';

/** A tar header as tar-stream's pack takes it: a name, and whatever else differs from its defaults. */
export type TarHeader = Partial<Header> & Pick<Header, 'name'>;

export interface TarEntry {
  readonly header: TarHeader;
  readonly body: Buffer;
}

/** Every entry of `tar`, in order, with its header and body. */
export async function readTar(tar: Buffer): Promise<TarEntry[]> {
  const list: TarEntry[] = [];
  const parser = extract();
  const reading = (async () => {
    for await (const entry of parser) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      list.push({ header: { ...entry.header }, body: Buffer.concat(chunks) });
    }
  })();
  parser.end(tar);
  await reading;
  return list;
}

/** A tar of `list`, in order, ended properly unless `end` is false (then it stops after the last entry). */
export async function packTar(list: readonly TarEntry[], end = true): Promise<Buffer> {
  const p = pack();
  const collected = (async () => {
    const parts: Buffer[] = [];
    for await (const chunk of p) parts.push(chunk as Buffer);
    return Buffer.concat(parts);
  })();
  for (const { header, body } of list) {
    const h = { ...header };
    await new Promise<void>((resolve, reject) => {
      const done = (error?: Error | null) => (error ? reject(error) : resolve());
      if (h.type === 'file' || h.type === undefined) p.entry(h, body, done);
      else p.entry(h, done);
    });
  }
  p.finalize();
  const tar = await collected;
  return end ? tar : tar.subarray(0, tar.length - 1024);
}
