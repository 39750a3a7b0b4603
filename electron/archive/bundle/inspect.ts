// Inspect: what a bundle holds, who made it and when, without importing or staging anything. The
// exporter writes data/archive.json first in the tar, so only the age header and the first chunks
// are decrypted; reading stops there (a bag re-made with stock tar is read until it is found).
// Nothing is verified beyond what age authenticates (import checks every file): inspect answers
// "what is this?", import answers "is all of it intact?".
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { extract } from 'tar-stream';
import type { BundleInfo } from '../../../shared/api.ts';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase } from '../../../shared/phrase.ts';
import { sql } from '../db/connection.ts';
import type { Archive } from '../index.ts';
import { decryptChunks, type DecryptOptions } from './age/index.ts';
import { ARCHIVE_JSON, parseArchiveJson, type ArchiveJson } from './archiveJson.ts';
import { bagEntryPath } from './bagPath.ts';
import { tarError } from './bagReader.ts';
import { bundleError } from './bundleErrors.ts';
import { feedParser } from './tarFeed.ts';

/** archive.json is metadata only; anything near this size is not one Sijil wrote. */
const MAX_ARCHIVE_JSON_BYTES = 512 * 1024 * 1024;
/** How many items and omitted files the answer lists (the counts always cover all of them). */
export const INSPECT_LIST_LIMIT = 10_000;

/** Decrypts just enough of the bundle to read its data/archive.json. */
export async function readArchiveJson(file: string, decryption: DecryptOptions, signal?: AbortSignal): Promise<ArchiveJson> {
  const stat = await fsp.stat(file).catch((error: unknown) => {
    throw bundleError(error, file, signal, 'inspection');
  });
  if (stat.isDirectory()) throw new ArchiveError('file-unreadable', phrase('bundle.isFolder', { file }));
  const source = fs.createReadStream(file, { highWaterMark: 256 * 1024, signal });
  source.on('error', () => undefined);
  const parser = extract();
  let inputError: unknown = null;
  let stopped = false;
  // The parser's own failure ("Unexpected end of data") says what went wrong, in its words: kept,
  // to be said as the import says it (tarError).
  let parserError: unknown = null;
  parser.on('error', (error: unknown) => (parserError ??= error));
  const entries = parser[Symbol.asyncIterator]();
  const pump = feedParser(parser, decryptChunks(source, decryption), { stop: () => stopped, onError: (error) => (inputError = error) });

  try {
    let text: string | null = null;
    for await (const entry of { [Symbol.asyncIterator]: () => entries }) {
      const { type, size } = entry.header;
      if (bagEntryPath(entry.header.name) !== ARCHIVE_JSON || type !== 'file') {
        // Sijil writes archive.json first, so reading stops at once. A bag put back together by
        // hand with stock tar may hold it anywhere: it is looked for (the import checks the rest).
        entry.resume();
        continue;
      }
      if (size > MAX_ARCHIVE_JSON_BYTES) throw new ArchiveError('bundle-damaged', phrase('bundle.inspect.tooLarge'));
      const chunks: Buffer[] = [];
      let length = 0;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        length += chunk.byteLength;
        chunks.push(chunk);
      }
      if (length !== size) throw new ArchiveError('bundle-damaged', phrase('bundle.inspect.cutShort'));
      text = Buffer.concat(chunks).toString('utf8');
      break;
    }
    if (inputError !== null) throw inputError;
    if (text === null) throw new ArchiveError('not-a-bundle', phrase('bundle.noArchiveJson'));
    return parseArchiveJson(text);
  } catch (error) {
    throw bundleError(inputError ?? (parserError !== null ? tarError(parserError) : error), file, signal, 'inspection');
  } finally {
    stopped = true;
    parser.destroy();
    source.destroy();
    await pump.catch(() => undefined);
  }
}

export async function inspectBundle(archive: Archive, file: string, decryption: DecryptOptions, signal?: AbortSignal): Promise<BundleInfo> {
  const json = await readArchiveJson(file, decryption, signal);
  const size = fs.statSync(file).size;
  const exists = sql(archive.db, 'SELECT 1 FROM items WHERE id = ?').pluck();
  const imported = sql(archive.db, 'SELECT imported_at FROM imported_bundles WHERE bundle_id = ?').pluck().get(json.bundleId) as string | undefined;
  const itemCount = new Map<string, number>();
  for (const item of json.items) for (const c of item.collections) itemCount.set(c, (itemCount.get(c) ?? 0) + 1);
  return {
    file,
    size,
    bundleId: json.bundleId,
    createdAt: json.createdAt,
    software: json.software,
    organization: json.organization,
    redacted: json.redacted,
    media: json.media,
    counts: { ...json.counts, links: json.links.length, collections: json.collections.length },
    alreadyImported: imported ?? null,
    alreadyHere: json.items.filter((i) => exists.get(i.id) !== undefined).length,
    items: json.items.slice(0, INSPECT_LIST_LIMIT).map((i) => ({
      id: i.id,
      kind: i.kind,
      title: i.title,
      date: i.date,
      sensitivity: i.sensitivity,
      files: i.files.length,
      bytes: i.files.reduce((sum, f) => sum + (f.path === null ? 0 : f.size), 0),
      here: exists.get(i.id) !== undefined,
    })),
    collections: json.collections.map((c) => ({ ...c, items: itemCount.get(c.name) ?? 0 })),
    omitted: json.omitted.slice(0, INSPECT_LIST_LIMIT),
    truncated: json.items.length > INSPECT_LIST_LIMIT || json.omitted.length > INSPECT_LIST_LIMIT,
  };
}
