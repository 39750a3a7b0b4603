// The contract's channels mapped onto the Archive. Every door (CLI, IPC, browser mode) calls
// `invoke`, which validates the argument with the channel's zod schema before anything runs.
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { contract, isChannel, type BulkProgressEvent, type Channel, type ImportProgressEvent, type ParsedArgsOf, type ResultOf } from '../../shared/api.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { parseOrThrow } from '../../shared/validation.ts';
import type { Archive, StagedFile } from './index.ts';
import { schemaVersion } from './db/connection.ts';
import type { ImportProgress } from './ingest/importer.ts';
import { searchIndexReport } from './search/basic.ts';
import { fileError, regularFile } from './store.ts';

// Loaded on first use. A launch asks for archive.info, items.count and items.list; importing files,
// bundles, keys and the demo archive bring about half the engine's modules (file type detection,
// tar, the age code), which the engine's thread would otherwise load before it can answer them.
const ingest = () => import('./ingest/importer.ts');
const detect = () => import('./ingest/detect.ts');
const decode = () => import('./ingest/decode.ts');
const keys = () => import('./keys.ts');
const sample = () => import('./sample.ts');
const conflicts = () => import('./bundle/conflicts.ts');
const credentials = () => import('./bundle/credentials.ts');
const bundleExport = () => import('./bundle/export.ts');
const bundleImport = () => import('./bundle/importBundle.ts');
const bundleInspect = () => import('./bundle/inspect.ts');

/**
 * Loads what the handlers above load on first use. The engine runs this a few seconds after it
 * opens the archive: browser mode runs from dist/electron, which `npm run serve` (or a build)
 * replaces, and a server started before that must still find its code when first asked to import.
 * Resolves to the reasons of the modules that could not be loaded (none, normally).
 */
export async function loadDeferredModules(): Promise<unknown[]> {
  const settled = await Promise.allSettled([ingest(), detect(), decode(), keys(), sample(), conflicts(), credentials(), bundleExport(), bundleImport(), bundleInspect()]);
  return settled.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
}

export interface CallContext {
  readonly signal?: AbortSignal;
  readonly progress?: (event: string, payload: unknown) => void;
}

type Handlers = { [C in Channel]: (archive: Archive, args: ParsedArgsOf<C>, ctx: CallContext) => Promise<ResultOf<C>> | ResultOf<C> };

const handlers: Handlers = {
  'archive.info': (archive) => ({ dir: archive.dir, ...archive.count(), schemaVersion: schemaVersion(archive.db) }),
  'archive.check': (archive) => archive.check(),
  'items.list': (archive, a) => archive.list(a),
  'items.get': (archive, a) => archive.get(a.id),
  'items.count': (archive, a) => ({ total: archive.countItems(a) }),
  'items.among': (archive, { ids, ...filters }) => ({ ids: archive.itemsAmong(filters, ids) }),
  'archive.loadSample': async (archive) => {
    const { hasSample, loadSample } = await sample();
    if (hasSample(archive)) return { loaded: false };
    await loadSample(archive);
    return { loaded: true };
  },
  'items.edit': (archive, a) => archive.edit(a.id, a.set),
  'items.tag': (archive, a) => archive.tag(a.id, a.add, a.remove),
  'items.collect': (archive, a) => archive.collect(a.id, a.collection, a.remove),
  'items.link': (archive, a) => (a.remove ? archive.unlink(a.from, a.to, a.relation) : archive.link(a.from, a.to, a.relation)),
  'items.trash': (archive, a) => archive.trash(a.id),
  'items.restore': (archive, a) => archive.restore(a.id),
  'items.bulk': (archive, a, ctx) =>
    archive.bulk(a.ids, a.action, a.name, { signal: ctx.signal, onProgress: (p) => ctx.progress?.('items.progress', p satisfies BulkProgressEvent) }),
  'items.history': (archive, a) => archive.history(a.id),
  'items.history.received': (archive, a) => archive.receivedHistory(a.id),
  'items.addNote': (archive, a) =>
    archive.create({
      kind: 'note',
      fields: { title: a.title, body: a.body, language: a.language ?? null },
      tags: a.tags,
      collections: a.collections,
    }),
  'items.addTestimony': (archive, a, ctx) => addTestimony(archive, a, ctx),
  'labels.tags': (archive) => archive.tags(),
  'labels.collections': (archive) => archive.collections(),
  'labels.remove': (archive, a) => ({ removed: archive.removeLabel(a.kind, a.name) }),
  'labels.describe': (archive, a) => archive.describeCollection(a.name, a.description),
  'labels.rename': (archive, a, ctx) =>
    archive.renameLabel(a.kind, a.name, a.to, { signal: ctx.signal, onProgress: (p) => ctx.progress?.('items.progress', p satisfies BulkProgressEvent) }),
  'import.paths': async (archive, a, ctx) =>
    (await ingest()).importPaths(archive, a.paths, {
      tags: a.tags,
      collections: a.collections,
      kind: a.kind,
      signal: ctx.signal,
      onProgress: ({ done, total, path, bytes, size }: ImportProgress) =>
        ctx.progress?.('import.progress', { done, total, path, bytes, size } satisfies ImportProgressEvent),
    }),
  'search.query': (archive, a) => archive.search(a.query, a.limit, a.cursor ?? null),
  'search.quick': (archive, a) => archive.quick(a.query, a.limit),
  'index.check': (archive) => {
    const { searchIndex, searchIndexSaid } = searchIndexReport(archive.db);
    return searchIndexSaid === undefined ? { ok: true, problem: null } : { ok: false, problem: searchIndex, said: searchIndexSaid };
  },
  'index.rebuild': (archive) => ({ indexed: archive.rebuildSearchIndex() }),
  'keys.status': async (archive) => ({ recipient: await (await keys()).archiveRecipient(archive.dir) }),
  'keys.create': async (archive, a) => (await keys()).createArchiveKey(archive.dir, a.passphrase),
  'keys.check': async (archive, a) => (await keys()).checkArchiveKey(archive.dir, a.passphrase),
  'keys.recipients.list': async (archive) => (await keys()).listRecipients(archive.dir),
  'keys.recipients.add': async (archive, a) => (await keys()).addRecipient(archive.dir, a.name, a.recipient),
  'keys.recipients.remove': async (archive, a) => (await keys()).removeRecipient(archive.dir, a.name),
  // The doors answer this one (electron/calls.ts); reaching the engine means no door ran the call.
  'calls.cancel': () => ({ cancelled: false }),
  // The desktop door answers this one (main.ts); reaching the engine means browser mode or the CLI.
  'archive.choose': () => {
    throw new ArchiveError('invalid-argument', phrase('doors.chooseArchiveElsewhere'));
  },
  'bundle.export': async (archive, a, ctx) =>
    (await bundleExport()).exportBundle(archive, {
      selection: a.selection,
      to: a.to,
      encryption: await (await credentials()).encryptionFor(archive, a.credentials),
      redact: a.redact,
      media: a.media,
      overwrite: a.overwrite,
      organization: a.organization || null,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress?.('bundle.progress', p),
    }),
  'bundle.inspect': async (archive, a, ctx) =>
    (await bundleInspect()).inspectBundle(archive, a.path, await (await credentials()).decryptionFor(archive, a.credentials), ctx.signal),
  'bundle.import': async (archive, a, ctx) =>
    (await bundleImport()).importBundle(archive, a.path, await (await credentials()).decryptionFor(archive, a.credentials), {
      signal: ctx.signal,
      onProgress: (p) => ctx.progress?.('bundle.progress', p),
    }),
  'conflicts.list': async (archive, a) => (await conflicts()).listConflicts(archive, a.includeResolved),
  'conflicts.resolve': async (archive, a) => (await conflicts()).resolveConflict(archive, a.id, a.keep),
  'archive.verify': (archive, a, ctx) =>
    archive.verify({ items: a.items, signal: ctx.signal, onProgress: (p) => ctx.progress?.('verify.progress', p) }),
  'verify.status': (archive) => archive.verifyStatus(),
  'verify.schedule': (archive, a) => archive.setVerifySchedule(a.every),
  'items.custodyReport': (archive, a, ctx) => archive.custodyReport(a.id, ctx.signal),
};

/** Validates `args` against the channel's schema, then runs the channel. */
export async function invoke<C extends Channel>(archive: Archive, channel: C, args: unknown, ctx: CallContext = {}): Promise<ResultOf<C>> {
  if (!isChannel(channel)) throw new ArchiveError('invalid-argument', phrase('doors.noSuchOperation', { name: String(channel).slice(0, 100) }));
  const parsed = parseArgs(channel, args);
  const handler = handlers[channel] as (archive: Archive, args: ParsedArgsOf<C>, ctx: CallContext) => Promise<ResultOf<C>> | ResultOf<C>;
  return handler(archive, parsed, ctx);
}

export function parseArgs<C extends Channel>(channel: C, args: unknown): ParsedArgsOf<C> {
  return parseOrThrow(contract[channel].args as unknown as z.ZodType<ParsedArgsOf<C>>, args ?? {});
}

async function addTestimony(archive: Archive, a: ParsedArgsOf<'items.addTestimony'>, ctx: CallContext): Promise<ResultOf<'items.addTestimony'>> {
  const files: StagedFile[] = [];
  const texts: { role: 'transcript' | 'translation'; language: string | null; text: string; fileIndex: number }[] = [];
  try {
    if (a.recording) {
      const recording = a.recording;
      // Looked at before anything reads it: opening a pipe would wait for a writer forever.
      await regularFile(recording);
      const detected = await (await detect()).detectFile(recording).catch((err: unknown) => {
        // Not there, a folder, not ours to read: said as the transcripts' are.
        throw typeof (err as NodeJS.ErrnoException).code === 'string' ? fileError(err, recording) : err;
      });
      if (detected.format !== 'video' && detected.format !== 'audio')
        throw new ArchiveError('unsupported-file', phrase('archive.testimony.notRecording', { path: a.recording }));
      const staged = await archive.store.stageFile(a.recording, { signal: ctx.signal });
      files.push({ staged, role: 'original', name: path.basename(a.recording), mime: detected.mime, language: a.language ?? null });
    }
    for (const t of a.transcripts) {
      const staged = await archive.store.stageFile(t.path, { signal: ctx.signal });
      if (staged.size === 0) {
        archive.store.discard(staged);
        throw new ArchiveError('unsupported-file', phrase('archive.testimony.textEmpty', { path: t.path }));
      }
      const text = (await decode()).decodeTextFile(new Uint8Array(await fsp.readFile(staged.tmpPath)));
      if (text === null) {
        archive.store.discard(staged);
        throw new ArchiveError('unsupported-file', phrase(t.role === 'transcript' ? 'archive.testimony.transcriptNotText' : 'archive.testimony.translationNotText', { path: t.path }));
      }
      files.push({ staged, role: t.role, name: path.basename(t.path), mime: 'text/plain; charset=utf-8', language: t.language ?? null });
      texts.push({ role: t.role, language: t.language ?? null, text: text.normalize('NFC'), fileIndex: files.length - 1 });
    }
    return archive.create({
      kind: 'testimony',
      fields: {
        title: a.title,
        description: a.description ?? '',
        language: a.language ?? null,
        eventDate: a.eventDate ?? null,
        place: a.place ?? null,
        sensitivity: a.sensitivity ?? 'sensitive',
      },
      testimony: {
        speakerAlias: a.speakerAlias ?? null,
        speakerName: a.speakerName ?? null,
        speakerContact: a.speakerContact ?? null,
        relationToCase: a.relationToCase ?? null,
        interviewer: a.interviewer ?? null,
        consent: a.consent ?? null,
        protectedNotes: a.protectedNotes ?? null,
      },
      files,
      texts,
      tags: a.tags,
      collections: a.collections,
    });
  } catch (err) {
    for (const f of files) archive.store.discard(f.staged);
    throw err;
  }
}

