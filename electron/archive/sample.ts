// Loads the demo archive (resources/sample/sample.json): articles on the Dhi Qar protests and a
// mother's video appeal, written by the team around the running example in DESIGN.md.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ItemFields, ItemKind, TestimonyFields } from '../../shared/domain.ts';
import { ArchiveError } from '../../shared/errors.ts';
import { phrase } from '../../shared/phrase.ts';
import { invoke } from './handlers.ts';
import type { Archive } from './index.ts';
import { importPaths } from './ingest/importer.ts';

export const SAMPLE_DIR = fileURLToPath(new URL('../../resources/sample/', import.meta.url));

const Manifest = z.object({
  notice: z.string(),
  collections: z.array(z.object({ name: z.string(), description: z.string() })),
  items: z.array(
    z.object({
      key: z.string(),
      kind: ItemKind,
      file: z.string().nullable(),
      title: z.string().nullable(),
      fields: ItemFields.omit({ title: true }).partial(),
      testimony: TestimonyFields.partial().nullable().optional(),
      recording: z.string().nullable().optional(),
      transcripts: z.array(z.object({ file: z.string(), language: z.string(), role: z.enum(['transcript', 'translation']) })).default([]),
      tags: z.array(z.string()).default([]),
      collections: z.array(z.string()).default([]),
    }),
  ),
  links: z.array(z.object({ from: z.string(), to: z.string(), relation: z.string() })),
});

export interface SampleResult {
  readonly items: number;
  readonly notice: string;
}

function readManifest(dir: string): z.infer<typeof Manifest> {
  const manifestPath = path.join(dir, 'sample.json');
  if (!fs.existsSync(manifestPath)) throw new ArchiveError('not-found', phrase('archive.demo.missing', { path: manifestPath }));
  return Manifest.parse(JSON.parse(fs.readFileSync(manifestPath, 'utf8')));
}

/** Whether the demo was loaded into this archive already (its case collection is there). */
export function hasSample(archive: Archive, dir: string = SAMPLE_DIR): boolean {
  const names = new Set(archive.collections().map((c) => c.name));
  return readManifest(dir).collections.every((c) => names.has(c.name));
}

export async function loadSample(archive: Archive, dir: string = SAMPLE_DIR): Promise<SampleResult> {
  const manifest = readManifest(dir);
  for (const c of manifest.collections) archive.createCollection(c.name, c.description);
  const ids = new Map<string, string>();
  for (const entry of manifest.items) {
    let id: string;
    if (entry.kind === 'testimony') {
      const item = await invoke(archive, 'items.addTestimony', {
        title: entry.title ?? entry.key,
        ...entry.testimony,
        recording: entry.recording ? path.join(dir, entry.recording) : null,
        transcripts: entry.transcripts.map((t) => ({ path: path.join(dir, t.file), language: t.language, role: t.role })),
        tags: entry.tags,
        collections: entry.collections,
      });
      id = item.id;
    } else {
      if (!entry.file) throw new ArchiveError('invalid-argument', phrase('archive.demo.noFile', { key: entry.key }));
      const summary = await importPaths(archive, [path.join(dir, entry.file)], {
        kind: entry.kind,
        tags: entry.tags,
        collections: entry.collections,
      });
      const outcome = summary.outcomes[0];
      if (!outcome?.itemId)
        throw new ArchiveError('internal', phrase('archive.demo.notLoaded', { key: entry.key, reason: outcome?.said ?? outcome?.reason ?? phrase('archive.demo.unknownReason') }));
      id = outcome.itemId;
    }
    const fields = Object.fromEntries(Object.entries({ ...entry.fields, ...(entry.title ? { title: entry.title } : {}) }).filter(([, v]) => v !== undefined));
    if (Object.keys(fields).length > 0) archive.edit(id, fields);
    ids.set(entry.key, id);
  }
  for (const link of manifest.links) {
    const from = ids.get(link.from);
    const to = ids.get(link.to);
    if (!from || !to) throw new ArchiveError('invalid-argument', phrase('archive.demo.badLink', { from: link.from, to: link.to }));
    archive.link(from, to, link.relation);
  }
  return { items: ids.size, notice: manifest.notice };
}
