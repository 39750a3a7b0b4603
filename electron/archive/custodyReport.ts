// A custody report a lawyer can read: plain text, no Sijil needed to understand it. It takes plain
// data only, so the archive (items.custodyReport, `sijil custody`) and the bundle export (with
// already-redacted data) print the same report.
import { shownName } from '../../shared/bidi.ts';
import { canonicalJson, eventHash } from './custody.ts';
import type { CustodyAction } from '../../shared/domain.ts';
import { PROTECTED_TESTIMONY_FIELDS } from '../../shared/domain.ts';

export interface CustodyReportFile {
  readonly role: string;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
}

/** A custody event exactly as it was hashed (custody.ts CustodyEvent, archiveJson CustodyEventEntry). */
export interface CustodyReportEvent {
  readonly seq: number;
  readonly at: string;
  readonly action: string;
  readonly itemId: string | null;
  readonly sha256: string | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

/** An event another archive recorded before the item came here in a bundle. */
export interface CustodyReportForeignEvent extends CustodyReportEvent {
  readonly bundleId: string;
}

export interface CustodyReportChainProblem {
  readonly position: number;
  readonly seq: number;
  readonly problem: string;
  readonly detail: string;
}

export interface CustodyReportInput {
  readonly item: {
    readonly id: string;
    readonly kind: string;
    readonly title: string;
    readonly language?: string | null;
    readonly sensitivity?: string | null;
    /** When the item entered the archive and was last changed. */
    readonly createdAt: string;
    readonly updatedAt?: string | null;
    /** Dates of the material itself, as entered (partial dates such as 2019-10 are kept as written). */
    readonly publishedAt?: string | null;
    readonly capturedAt?: string | null;
    readonly eventDate?: string | null;
    readonly deletedAt?: string | null;
  };
  /** True when the report goes out in a redacted export: protected identity fields are withheld. */
  readonly redacted: boolean;
  readonly files: readonly CustodyReportFile[];
  /** This archive's events for the item, oldest first. */
  readonly events: readonly CustodyReportEvent[];
  /** Events received with the item from earlier bundles, oldest first. */
  readonly foreignEvents?: readonly CustodyReportForeignEvent[];
  /** The whole archive's chain, checked when the report was made; null when it was not checked. */
  readonly chain: { readonly events: number; readonly problems: readonly CustodyReportChainProblem[] } | null;
  readonly generatedAt: string;
  /** E.g. "Sijil 0.1.0". */
  readonly software: string;
}

const RULE = '='.repeat(72);
const LINE = '-'.repeat(72);

const ACTION_WORDS: Record<CustodyAction, string> = {
  create: 'The item was created in this archive.',
  import: 'The item was imported into this archive from a file.',
  edit: 'Descriptive fields of the item were changed (old and new values below).',
  tag: 'Tags were added to the item.',
  untag: 'Tags were removed from the item.',
  collect: 'The item was added to a collection (case).',
  uncollect: 'The item was removed from a collection (case).',
  link: 'The item was linked to another item.',
  unlink: 'A link between the item and another item was removed.',
  'add-file': 'A file was added to the item.',
  delete: 'The item was moved to the trash (its files were kept).',
  restore: 'The item was restored from the trash.',
  export: 'The item was copied out of the archive into an encrypted bundle.',
  'import-bundle': 'The item arrived in this archive from an encrypted bundle.',
  'resolve-conflict': 'Two versions of the item (one from a bundle) were reconciled.',
  verified: 'The whole archive was verified: every file re-hashed and the custody chain checked.',
};

export function describeAction(action: string): string {
  return (ACTION_WORDS as Record<string, string>)[action] ?? `An action recorded as "${action}".`;
}

/** Whether an event's stored hash still matches what it says (see custody.ts eventHash). */
export function eventHolds(e: CustodyReportEvent): boolean {
  return (
    eventHash(
      { seq: e.seq, at: e.at, action: e.action as CustodyAction, itemId: e.itemId, sha256: e.sha256, prevHash: e.prevHash },
      canonicalJson(e.details),
    ) === e.hash
  );
}

export function formatBytes(size: number): string {
  const exact = `${size.toLocaleString('en-US')} byte${size === 1 ? '' : 's'}`;
  if (size < 1024) return exact;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = size / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${exact} (${v.toFixed(1)} ${units[u]})`;
}

const PROTECTED = new Set<string>(PROTECTED_TESTIMONY_FIELDS);

/** Details as indented "key: value" lines; in a redacted report, protected fields never print a value. */
function detailLines(value: unknown, redacted: boolean, indent: string, out: string[], key?: string): void {
  if (redacted && key !== undefined && PROTECTED.has(key)) {
    out.push(`${indent}${key}: (withheld in a redacted report)`);
    return;
  }
  const prefix = key === undefined ? indent : `${indent}${key}: `;
  if (value === null || value === undefined) out.push(`${prefix}(none)`);
  else if (Array.isArray(value)) {
    if (value.length === 0) out.push(`${prefix}(none)`);
    else if (value.every((v) => v === null || typeof v !== 'object')) out.push(`${prefix}${value.map((v) => String(v)).join(', ')}`);
    else {
      if (key !== undefined) out.push(`${indent}${key}:`);
      value.forEach((v, i) => detailLines(v, redacted, `${indent}  `, out, `${i + 1}`));
    }
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (key !== undefined) out.push(`${indent}${key}:`);
    for (const [k, v] of entries) detailLines(v, redacted, key === undefined ? indent : `${indent}  `, out, k);
  } else out.push(`${prefix}${oneLine(String(value))}`);
}

/**
 * Control characters and line breaks in recorded text must not forge lines of the report, nor may
 * a bidi override reorder a file name or title in it: those are shown as [U+202E] (shared/bidi.ts).
 */
function oneLine(text: string): string {
  return shownName(text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' '));
}

function eventBlock(e: CustodyReportEvent, index: number, redacted: boolean, out: string[], bundleId?: string): boolean {
  const holds = eventHolds(e);
  out.push(`${index}. ${oneLine(e.at)}  ${oneLine(e.action)}  (event ${e.seq} of the ${bundleId ? 'other' : "archive's"} chain)`);
  out.push(`   ${describeAction(e.action)}`);
  if (bundleId) out.push(`   Recorded by another archive; arrived with bundle ${oneLine(bundleId)}.`);
  if (e.sha256) out.push(`   File SHA-256: ${e.sha256}`);
  const details: string[] = [];
  detailLines(e.details, redacted, '     ', details);
  if (details.length > 0) {
    out.push('   Details:');
    out.push(...details);
  }
  out.push(`   Event hash:    ${e.hash}`);
  out.push(`   Previous hash: ${e.prevHash}${e.prevHash === '0'.repeat(64) ? '  (the first event of the chain)' : ''}`);
  out.push(`   Content matches its hash: ${holds ? 'yes' : 'NO - this event was changed after it was written'}`);
  out.push('');
  return holds;
}

// "Sensitivity:", the longest label of THE ITEM.
const ITEM_LABEL_WIDTH = 12;

export function formatCustodyReport(input: CustodyReportInput): string {
  const { item } = input;
  const out: string[] = [];
  out.push(RULE, 'CUSTODY REPORT', RULE, '');
  out.push(`Generated:  ${input.generatedAt}`);
  out.push(`Software:   ${oneLine(input.software)}`);
  if (input.redacted)
    out.push('Redacted:   yes - protected identity fields (speaker name, contact, protected notes) are withheld.');
  out.push('');

  out.push('THE ITEM', LINE);
  // One column for every value of the section; labels stay short enough to fit it.
  const field = (label: string, value: string) => out.push(`${`${label}:`.padEnd(ITEM_LABEL_WIDTH)} ${value}`);
  field('Title', oneLine(item.title));
  field('Identifier', item.id);
  field('Kind', item.kind);
  if (item.language) field('Language', item.language);
  if (item.sensitivity && item.sensitivity !== 'normal') field('Sensitivity', item.sensitivity);
  if (item.publishedAt) field('Published', item.publishedAt);
  if (item.capturedAt) field('Captured', item.capturedAt);
  if (item.eventDate) field('Event date', item.eventDate);
  field('Added', item.createdAt);
  if (item.updatedAt && item.updatedAt !== item.createdAt) field('Changed', item.updatedAt);
  if (item.deletedAt) field('Trashed', item.deletedAt);
  out.push('');

  out.push(`FILES (${input.files.length})`, LINE);
  if (input.files.length === 0) out.push('This item has no files.');
  input.files.forEach((f, i) => {
    out.push(`${i + 1}. ${oneLine(f.name)}`);
    out.push(`   Role:    ${f.role}`);
    out.push(`   Type:    ${oneLine(f.mime)}`);
    out.push(`   Size:    ${formatBytes(f.size)}`);
    out.push(`   SHA-256: ${f.sha256}`);
  });
  out.push('');

  out.push(`HISTORY IN THIS ARCHIVE (${input.events.length} event${input.events.length === 1 ? '' : 's'}, oldest first)`, LINE);
  let changedEvents = 0;
  input.events.forEach((e, i) => {
    if (!eventBlock(e, i + 1, input.redacted, out)) changedEvents++;
  });
  if (input.events.length === 0) out.push('No events are recorded for this item.', '');

  const foreign = input.foreignEvents ?? [];
  if (foreign.length > 0) {
    out.push(`HISTORY RECORDED BY EARLIER ARCHIVES (${foreign.length} event${foreign.length === 1 ? '' : 's'})`, LINE);
    out.push('These events came with the item in a bundle; their hashes belong to the other archive\'s chain.', '');
    foreign.forEach((e, i) => {
      if (!eventBlock(e, i + 1, input.redacted, out, e.bundleId)) changedEvents++;
    });
  }

  out.push('WHETHER THE CHAIN HOLDS', LINE);
  if (input.chain === null) out.push('The archive\'s custody chain was not checked when this report was made.');
  else if (input.chain.problems.length === 0)
    out.push(
      `Yes. All ${input.chain.events} events of the archive's custody chain were checked on ${input.generatedAt}:`,
      'each event\'s content matches its hash, and each event names the hash of the one before it,',
      'so none was removed, reordered, inserted or edited.',
    );
  else {
    out.push(`NO. The archive's custody chain (${input.chain.events} events) is broken:`);
    for (const p of input.chain.problems) out.push(`- at position ${p.position} (event ${p.seq}), ${p.problem}: ${oneLine(p.detail)}`);
  }
  if (changedEvents > 0)
    out.push(`${changedEvents} event${changedEvents === 1 ? '' : 's'} listed above no longer match${changedEvents === 1 ? 'es' : ''} ${changedEvents === 1 ? 'its' : 'their'} hash.`);
  out.push('');

  out.push('HOW TO CHECK THIS YOURSELF', LINE);
  out.push(
    'A SHA-256 hash is a 64-character fingerprint of a file\'s exact bytes: changing a single byte',
    'gives a completely different hash. To check a copy of a file, compute its hash and compare it',
    'with the one listed above:',
    '  Linux:   sha256sum FILE',
    '  macOS:   shasum -a 256 FILE',
    '  Windows: certutil -hashfile FILE SHA256',
    'If the two hashes are identical, the copy is bit-for-bit the file that was collected.',
    '',
    'Each event\'s hash is the SHA-256 of these lines joined by a newline: the previous hash, the',
    'event number, the time, the action, the item identifier, the file hash (empty when none), and',
    'the details as JSON with keys sorted. Because every event includes the hash of the one before',
    'it, removing, reordering or editing any event breaks every link after it.',
  );
  out.push('');
  return out.join('\n');
}
