// How the CLI shows results to a person. (--json prints the contract's values as they are.)
// Titles, tags and snippets may hold bidi overrides (typed, or from another archive's bundle): in a
// terminal an override left open reverses the rest of the line, ids and paths included.
import { containBidi, shownName } from '../shared/bidi.ts';
import { oneLine } from './archive/ingest/strings.ts';
import { markSnippet } from './archive/search/snippet.ts';
import type {
  AddressBookEntry,
  ArchiveInfo,
  BundleExportResult,
  BundleImportResult,
  BundleInfo,
  CheckResult,
  ConflictRecord,
  LabelCount,
  SearchResult,
  VerifyFileProblem,
  VerifyReport,
} from '../shared/api.ts';
import type { LabelKind } from '../shared/vocabulary.ts';
import { PROTECTED_TESTIMONY_FIELDS, type CustodyEvent, type ImportSummary, type Item, type ItemSummary } from '../shared/domain.ts';

const HIDDEN = '(protected: show --reveal)';

/**
 * A value as JSON for --json, with DEL and the C1 controls (which JSON may leave raw) escaped too:
 * the text is the same value to a JSON reader, and terminalSafe finds nothing in it to change.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Clears the terminal's line: how the CLI's own progress lines begin. */
export const CLEAR_LINE = '\r\x1b[2K';

/**
 * Text as it may reach a terminal. A title, a file name or a bundle's contents can carry control
 * characters (ESC sequences recolour, move the cursor or retitle the window; a lone CR hides what
 * came before it on the line): each is shown as [U+001B] instead, like shownName's bidi controls.
 * Only newlines, tabs, line endings written CRLF and the CLI's own line-clearing prefix stay.
 */
export function terminalSafe(text: string): string {
  const prefix = text.startsWith(CLEAR_LINE) ? CLEAR_LINE : '';
  return (
    prefix +
    text
      .slice(prefix.length)
      .replace(/\r\n/g, '\n')
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`)
  );
}

export function info(i: ArchiveInfo): string {
  return [
    `Archive: ${i.dir}`,
    `Items: ${i.items}${i.trash ? ` (and ${i.trash} in the trash)` : ''}`,
    `Files: ${i.blobs} (${bytes(i.bytes)})`,
  ].join('\n');
}

export function importSummary(s: ImportSummary): string {
  const lines = s.outcomes.map((o) => {
    switch (o.status) {
      case 'imported':
        return `imported   ${o.itemId}  ${containBidi(o.title ?? '')}  (${shownName(o.path)})`;
      case 'duplicate':
        return `duplicate  ${shownName(o.path)}: ${o.reason}`;
      case 'skipped':
        return `skipped    ${shownName(o.path)}: ${o.reason}`;
    }
  });
  lines.push(`${s.imported} imported, ${s.duplicates} already in the archive, ${s.skipped} skipped.`);
  return lines.join('\n');
}

export function itemList(items: readonly ItemSummary[]): string {
  if (items.length === 0) return 'No items.';
  return items
    .map((i) => `${i.id}  ${i.kind.padEnd(9)}  ${(i.date ?? i.createdAt).slice(0, 10)}  ${containBidi(i.title)}${i.tags.length ? `  [${containBidi(i.tags.join(', '))}]` : ''}`)
    .join('\n');
}

/** Protected testimony fields never leave through a read command unless asked for. */
export function hideProtected(item: Item): Item {
  if (!item.testimony) return item;
  const testimony = { ...item.testimony };
  for (const field of PROTECTED_TESTIMONY_FIELDS) if (testimony[field] !== null) testimony[field] = HIDDEN;
  return { ...item, testimony };
}

export function item(i: Item, revealed: boolean): string {
  const rows: [string, string | null | undefined][] = [
    ['Id', i.id],
    ['Kind', i.kind],
    ['Title', i.title],
    ['Description', i.description || null],
    ['Language', i.language],
    ['Source', [i.sourceOutlet, i.sourceAuthor, i.sourceUrl].filter(Boolean).join(' · ') || null],
    ['Published', i.publishedAt],
    ['Captured', i.capturedAt],
    ['Event date', i.eventDate],
    ['Place', i.place],
    ['People', i.people],
    ['Sensitivity', i.sensitivity === 'normal' ? null : i.sensitivity],
    ['Tags', i.tags.join(', ') || null],
    ['Collections', i.collections.join(', ') || null],
    ['Added', i.createdAt],
    ['In trash since', i.deletedAt],
  ];
  if (i.testimony) {
    rows.push(
      ['Speaker', i.testimony.speakerAlias],
      ['Speaker name', i.testimony.speakerName],
      ['Contact', i.testimony.speakerContact],
      ['Relation to case', i.testimony.relationToCase],
      ['Interviewer', i.testimony.interviewer],
      ['Consent', i.testimony.consent],
      ['Protected notes', i.testimony.protectedNotes],
    );
  }
  const out = rows.filter(([, v]) => v).map(([k, v]) => `${`${k}:`.padEnd(18)}${containBidi(v as string)}`);
  if (i.files.length) {
    out.push('Files:');
    for (const f of i.files) out.push(`  ${f.role.padEnd(12)} ${shownName(f.name)}  ${bytes(f.size)}  ${f.mime}  sha256:${f.sha256}`);
  }
  if (i.links.length) {
    out.push('Links:');
    for (const l of i.links) out.push(`  ${l.direction === 'out' ? '→' : '←'} ${l.relation}  ${l.itemId}  ${containBidi(l.title)}`);
  }
  for (const t of i.texts) out.push('', `${t.role === 'transcript' ? 'Transcript' : 'Translation'}${t.language ? ` (${t.language})` : ''}:`, containBidi(t.text.trim()));
  if (i.body) out.push('', containBidi(i.body.length > 2000 ? `${i.body.slice(0, 2000)}… (${i.body.length} characters)` : i.body));
  if (!revealed && i.testimony && PROTECTED_TESTIMONY_FIELDS.some((f) => i.testimony?.[f] === HIDDEN)) out.push('', 'Protected fields are hidden; sijil show ID --reveal shows them.');
  return out.join('\n');
}

export function links(i: Item): string {
  return i.links.length === 0
    ? `${i.id} "${containBidi(i.title)}" has no links.`
    : [`${i.id} "${containBidi(i.title)}":`, ...i.links.map((l) => `  ${l.direction === 'out' ? '→' : '←'} ${l.relation}  ${l.itemId}  ${containBidi(l.title)}`)].join('\n');
}

export function hits(result: SearchResult): string {
  const notes = [
    ...result.warnings.map((w) => `Note: ${w}`),
    ...result.alsoMatched.map((e) => `Also matched: ${e.alternatives.join(', ')} (for ${e.term})`),
  ];
  if (result.hits.length === 0) return [...notes, 'No matches.'].join('\n');
  const by = (name: string, list: readonly { value: string; count: number }[]) =>
    list.length ? [`${name}: ${list.slice(0, 6).map((f) => `${f.value} ${f.count}`).join(', ')}`] : [];
  const summary = [
    `${result.total} ${result.total === 1 ? 'match' : 'matches'}${result.total > result.hits.length ? `, showing ${result.hits.length}` : ''}`,
    ...by('kinds', result.facets.kind),
    ...by('years', result.facets.year),
  ].join(' · ');
  return notes.concat(summary, result.hits.map((h) => `${h.id}  ${h.kind.padEnd(9)}  ${containBidi(h.title)}${h.snippet ? `\n    ${h.snippet.field}: ${containBidi(markSnippet(h.snippet))}` : ''}`)).join('\n');
}

export function events(list: readonly CustodyEvent[]): string {
  if (list.length === 0) return 'No custody events.';
  return list
    .map((e) => `#${e.seq}  ${e.at}  ${e.action.padEnd(9)} ${e.sha256 ? `sha256:${e.sha256.slice(0, 16)}…  ` : ''}${JSON.stringify(e.details)}\n      hash ${e.hash}`)
    .join('\n');
}

/** Tags or collections with their counts; a collection's description whole, on one line under it. */
export function labels(list: readonly (LabelCount & { description?: string })[]): string {
  if (list.length === 0) return 'None yet.';
  return list
    .map((l) => `${String(l.count).padStart(6)}  ${containBidi(l.name)}${l.description ? `\n        ${containBidi(oneLine(l.description, l.description.length) ?? '')}` : ''}`)
    .join('\n');
}

export function check(r: CheckResult): string {
  const lines = [
    `Database: ${r.integrity === 'ok' ? 'ok' : r.integrity}`,
    `References: ${r.foreignKeys === 0 ? 'ok' : `${r.foreignKeys} broken`}`,
    `Search index: ${r.searchIndex}`,
    `Files: ${r.missingBlobs.length === 0 ? 'all present' : `${r.missingBlobs.length} missing`}`,
    ...r.missingBlobs.map((m) => `  missing: ${m.name} of item ${m.itemId} (sha256 ${m.sha256})`),
    `Custody chain: ${r.custodyChain ? `broken at event ${r.custodyChain.seq}: ${r.custodyChain.problem}` : 'intact'}`,
    r.ok ? 'The archive is sound.' : 'The archive has problems (see above).',
  ];
  return lines.join('\n');
}

/** Accepts field names as a person types them on the command line: source-url, source_url, sourceUrl. */
export function fieldName(name: string): string {
  return name.trim().replace(/[-_]([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function addressBook(list: readonly AddressBookEntry[]): string {
  if (list.length === 0) return 'The address book is empty; "sijil key add-recipient NAME age1…" adds someone.';
  const width = Math.min(32, Math.max(...list.map((e) => [...e.name].length)));
  return list.map((e) => `${e.name}${' '.repeat(Math.max(0, width - [...e.name].length))}  ${e.recipient}`).join('\n');
}

// Bundles (helper A) ------------------------------------------------------------------------------

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

export function labelRenamed(kind: LabelKind, r: { from: string; name: string; items: number; merged: boolean }): string {
  const [old, now] = [containBidi(r.from), containBidi(r.name)];
  if (r.merged) return `Merged the ${kind} "${old}" into "${now}" (${plural(r.items, 'item')} had it).`;
  if (r.from === r.name) return `The ${kind} "${now}" already has that name; nothing changed.`;
  return `Renamed the ${kind} "${old}" to "${now}" on ${plural(r.items, 'item')}.`;
}

export function bundleExport(r: BundleExportResult): string {
  const notes = [
    r.redacted ? 'redacted (protected testimony fields and protected items left out)' : null,
    r.media ? null : `without original media (${plural(r.omittedFiles, 'file')} listed by hash, not included)`,
    r.withheld > 0 ? `${plural(r.withheld, 'protected item')} withheld` : null,
  ].filter(Boolean);
  return [
    `Wrote ${r.path} (${bytes(r.bytes)}): ${plural(r.items, 'item')}, ${plural(r.files, 'file')}.`,
    ...(notes.length ? [`The bundle is ${notes.join('; ')}.`] : []),
    `Bundle id: ${r.bundleId}`,
  ].join('\n');
}

export function bundleInfo(b: BundleInfo): string {
  const kinds = Object.entries(b.counts.byKind)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const lines = [
    `Bundle ${b.bundleId} (${bytes(b.size)})`,
    `Made: ${b.createdAt}${b.organization ? ` by ${b.organization}` : ''} with ${b.software}`,
    `Items: ${b.counts.items}${kinds ? ` (${kinds})` : ''}; ${plural(b.counts.links, 'link')}; ${plural(b.counts.collections, 'collection')}`,
    `Files: ${b.counts.files} (${bytes(b.counts.bytes)})${b.counts.omittedFiles ? `; ${b.counts.omittedFiles} left out (${bytes(b.counts.omittedBytes)}), listed by hash` : ''}`,
    `Redacted: ${b.redacted ? 'yes (protected testimony fields and protected items are not in it)' : 'no'}`,
    `Original media: ${b.media ? 'included' : 'not included'}`,
  ];
  if (b.alreadyImported) lines.push(`Already imported here on ${b.alreadyImported}.`);
  else if (b.alreadyHere > 0) lines.push(`${plural(b.alreadyHere, 'item is', 'items are')} already in this archive.`);
  if (b.collections.length) lines.push('Collections:', ...b.collections.map((c) => `  ${c.name} (${c.items})${c.description ? `: ${c.description}` : ''}`));
  lines.push('Items:', ...b.items.map((i) => `  ${i.id}  ${i.kind.padEnd(9)}  ${(i.date ?? '').slice(0, 10).padEnd(10)}  ${containBidi(i.title)}${i.here ? '  (here)' : ''}`));
  if (b.truncated) lines.push('  … (the list stops at 10,000; --json has the counts)');
  return lines.join('\n');
}

const STATUS: Record<BundleImportResult['items'][number]['status'], string> = {
  added: 'added',
  unchanged: 'already here',
  'local-newer': 'ours is newer',
  duplicate: 'duplicate',
  conflict: 'CONFLICT',
  'conflict-known': 'conflict known',
};

export function bundleImport(r: BundleImportResult): string {
  const lines = r.items.map((i) => {
    const where = i.status === 'duplicate' ? ` (same file as ${i.itemId})` : i.status === 'conflict' ? ` (kept as ${i.itemId} beside ${i.conflictOf})` : '';
    return `${STATUS[i.status].padEnd(14)} ${i.bundleItemId}  ${containBidi(i.title)}${where}`;
  });
  lines.push(
    `${r.added} added, ${r.unchanged} already here, ${r.duplicates} ${r.duplicates === 1 ? 'duplicate' : 'duplicates'}, ${plural(r.conflicts, 'conflict')}` +
      `${r.filesAdded ? `, ${plural(r.filesAdded, 'missing file')} filled in` : ''}.`,
  );
  if (r.alreadyImported) lines.push(`This bundle was first imported on ${r.alreadyImported}.`);
  if (r.conflicts > 0) lines.push('Both versions are kept: "sijil conflicts" lists them, "sijil conflicts resolve N --keep local|incoming|both" settles conflict #N.');
  return lines.join('\n');
}

const CONFLICT_REASONS: Record<ConflictRecord['reason'], string> = {
  'both-changed': 'changed on both sides',
  'changed-there': 'changed in the bundle',
  'same-file': 'our file, described differently',
};

export function conflicts(list: readonly ConflictRecord[]): string {
  if (list.length === 0) return 'No conflicts.';
  return list
    .map(
      (c) =>
        `#${c.id}  ${CONFLICT_REASONS[c.reason]}  (bundle ${c.bundleId}, ${c.createdAt.slice(0, 10)})` +
        `${c.resolution ? `  resolved: kept ${c.resolution}` : ''}\n` +
        `    ours:     ${c.localItemId}  ${c.localTitle}\n    incoming: ${c.incomingItemId}  ${c.incomingTitle}`,
    )
    .join('\n');
}

export function conflictResolved(c: ConflictRecord): string {
  const trashed = c.resolution === 'local' ? c.incomingItemId : c.resolution === 'incoming' ? c.localItemId : null;
  return `Conflict #${c.id} resolved: kept ${c.resolution === 'both' ? 'both versions' : `the ${c.resolution} version`}.${trashed ? ` ${trashed} is in the trash (sijil restore ${trashed} brings it back).` : ''}`;
}

/** `sijil verify`: problems grouped by item, then the store, the custody chain and the database. */
export function verifyReport(r: VerifyReport): string {
  const lines = [`Files: ${r.files} file${r.files === 1 ? '' : 's'} (${r.blobs} distinct, ${bytes(r.bytes)}) re-hashed.`];
  const byItem = new Map<string, { title: string; lines: string[] }>();
  const add = (p: VerifyFileProblem, line: string): void => {
    const entry = byItem.get(p.itemId) ?? { title: p.itemTitle, lines: [] };
    entry.lines.push(line);
    byItem.set(p.itemId, entry);
  };
  for (const p of r.changed) add(p, `    changed: ${shownName(p.fileName)} (${p.role}): recorded sha256 ${p.sha256}, now ${p.actual ?? 'unknown'}`);
  for (const p of r.missing) add(p, `    missing: ${shownName(p.fileName)} (${p.role}): sha256 ${p.sha256}`);
  if (byItem.size === 0) lines.push('  Every file matches its recorded SHA-256.');
  for (const [id, entry] of [...byItem].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${id}  ${containBidi(entry.title)}`, ...entry.lines);
  lines.push(r.untracked.length === 0 ? 'Store: no untracked files.' : `Store: ${r.untracked.length} file${r.untracked.length === 1 ? '' : 's'} no item refers to:`);
  for (const u of r.untracked) lines.push(`    untracked: ${u.path} (${bytes(u.bytes)})`);
  const { events, problems } = r.custody;
  lines.push(problems.length === 0 ? `Custody chain: ${events} events, intact.` : `Custody chain: ${events} events, ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
  for (const p of problems) lines.push(`    position ${p.position} (event ${p.seq}) ${p.problem}: ${p.detail}`);
  const db = r.database;
  lines.push(`Database: ${db.integrity === 'ok' ? 'ok' : db.integrity}; references ${db.foreignKeys === 0 ? 'ok' : `${db.foreignKeys} broken`}; search index: ${db.searchIndex}.`);
  const counts = [
    r.changed.length && `${r.changed.length} changed`,
    r.missing.length && `${r.missing.length} missing`,
    r.untracked.length && `${r.untracked.length} untracked`,
    problems.length && `${problems.length} custody problem${problems.length === 1 ? '' : 's'}`,
  ].filter(Boolean);
  lines.push(r.ok ? 'The archive is intact.' : `The archive is NOT intact${counts.length ? `: ${counts.join(', ')}` : ' (see above)'}.`);
  return lines.join('\n');
}
