// The custody log: every change to the archive appends an event whose hash covers the previous
// event's hash, so a removed, reordered or edited event breaks the chain where it happened.
import { createHash } from 'node:crypto';
import { CUSTODY_ACTIONS, type CustodyAction, type CustodyEvent, type ReceivedCustodyEvent } from '../../shared/domain.ts';
import { phrase, say, type Phrase } from '../../shared/phrase.ts';
import { sql, type Db } from './db/connection.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface NewCustodyEvent {
  readonly action: CustodyAction;
  readonly itemId: string | null;
  readonly sha256?: string | null;
  readonly details?: Record<string, unknown>;
}

/** A custody_events row (foreign_custody_events rows share these columns). */
export interface EventRow {
  seq: number;
  at: string;
  action: string;
  item_id: string | null;
  sha256: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The hash of an event: what it says (details as canonical JSON), where it stands, what came before. */
export function eventHash(e: Omit<CustodyEvent, 'hash' | 'details'>, details: string): string {
  return createHash('sha256')
    .update([e.prevHash, String(e.seq), e.at, e.action, e.itemId ?? '', e.sha256 ?? '', details].join('\n'))
    .digest('hex');
}

/** JSON with object keys sorted, so the same details always hash the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export class CustodyLog {
  private readonly db: Db;
  constructor(db: Db) {
    this.db = db;
  }

  /** Appends one event. Call inside the transaction that makes the change it records. */
  append(event: NewCustodyEvent, at: string): CustodyEvent {
    const last = sql(this.db, 'SELECT seq, hash FROM custody_events ORDER BY seq DESC LIMIT 1').get() as
      | { seq: number; hash: string }
      | undefined;
    // Past the highest number ever used (AUTOINCREMENT keeps it), not the highest left: if the last
    // event was deleted, the next one must not take its number and hide the gap.
    const used = (sql(this.db, "SELECT seq FROM sqlite_sequence WHERE name = 'custody_events'").pluck().get() as number | undefined) ?? 0;
    const seq = Math.max(last?.seq ?? 0, used) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const details = canonicalJson(event.details ?? {});
    const record = { seq, at, action: event.action, itemId: event.itemId, sha256: event.sha256 ?? null, prevHash };
    const hash = eventHash(record, details);
    sql(this.db,
        'INSERT INTO custody_events (seq, at, action, item_id, sha256, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(seq, at, event.action, event.itemId, record.sha256, details, prevHash, hash);
    return { ...record, details: JSON.parse(details) as Record<string, unknown>, hash };
  }

  forItem(itemId: string): CustodyEvent[] {
    const rows = sql(this.db, 'SELECT * FROM custody_events WHERE item_id = ? ORDER BY seq').all(itemId) as EventRow[];
    return rows.map(toEvent);
  }

  receivedFor(itemId: string): ReceivedCustodyEvent[] {
    return receivedEvents(this.db, itemId);
  }

  /** Walks the whole chain; returns the first break, or null when every link holds. */
  verifyChain(): { seq: number; problem: string; said: Phrase } | null {
    const broken = (seq: number, said: Phrase) => ({ seq, problem: say(said), said });
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (const row of sql(this.db, 'SELECT * FROM custody_events ORDER BY seq').iterate() as IterableIterator<EventRow>) {
      if (row.seq !== expectedSeq) return broken(row.seq, phrase('archive.custody.missing', { seq: String(expectedSeq) }));
      if (row.prev_hash !== prevHash) return broken(row.seq, phrase('archive.custody.notFollowing'));
      if (eventHash(toEventFields(row), row.details) !== row.hash) return broken(row.seq, phrase('archive.custody.changed'));
      prevHash = row.hash;
      expectedSeq++;
    }
    return null;
  }
}

function toEventFields(row: EventRow): Omit<CustodyEvent, 'hash' | 'details'> {
  return {
    seq: row.seq,
    at: row.at,
    action: row.action as CustodyAction,
    itemId: row.item_id,
    sha256: row.sha256,
    prevHash: row.prev_hash,
  };
}

export function toEvent(row: EventRow): CustodyEvent {
  return { ...toEventFields(row), details: JSON.parse(row.details) as Record<string, unknown>, hash: row.hash };
}

/** What earlier archives recorded about an item, received with it in bundles, oldest first. */
export function receivedEvents(db: Db, itemId: string): ReceivedCustodyEvent[] {
  return (
    sql(db, 'SELECT * FROM foreign_custody_events WHERE local_item_id = ? ORDER BY at, bundle_id, seq').all(itemId) as (EventRow & { bundle_id: string })[]
  ).map((row) => ({ ...toEvent(row), bundleId: row.bundle_id }));
}

// Diagnosis for `sijil verify`: not only where the chain first breaks, but what happened at each
// break, told apart by what the hashes still prove. An event's hash covers its number, so an
// intact event moved elsewhere still matches its hash at its old number (reordered); a row
// matching nothing was edited; a gap in the numbers, or a link to an event that no longer exists,
// is a removal; rows skipped over by a later event's link were inserted.

export type ChainProblemKind = 'edited' | 'removed' | 'reordered' | 'inserted';

export interface ChainProblem {
  /** 1-based, in chain order (for a removed event: the position it would have had). */
  readonly position: number;
  readonly seq: number;
  readonly problem: ChainProblemKind;
  /** One sentence a person can act on: `said`'s English. */
  readonly detail: string;
  readonly said: Phrase;
}

export interface ChainDiagnosis {
  readonly events: number;
  readonly problems: readonly ChainProblem[];
  /** The last event as it stands, to compare with at the next verification. */
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

export interface DiagnoseOptions {
  /** The last event seen by the previous verification: if it vanished or changed since, that is a problem too. */
  readonly expectedHead?: { readonly seq: number; readonly hash: string } | null;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly maxProblems?: number;
}

const PAGE = 2000;

function storedHash(row: EventRow, seq: number): string {
  return eventHash({ ...toEventFields(row), seq }, row.details);
}

// Positions and event numbers are said as text: they name an event ("event 1234"), not a quantity.
function describe(row: EventRow): Phrase {
  // A row edited to hold an action Sijil never writes keeps it as it stands.
  const action = (CUSTODY_ACTIONS as readonly string[]).includes(row.action) ? phrase(`archive.custody.action.${row.action as CustodyAction}`) : row.action;
  return row.item_id
    ? phrase('archive.custody.eventOfItem', { action, item: row.item_id, at: row.at })
    : phrase('archive.custody.event', { action, at: row.at });
}

const n = (value: number): string => String(value);

/**
 * The problem as a redacted bundle tells it: a withheld item named in it (an event "of item …")
 * is said to be one, without its id, in the sentence and in its phrase alike.
 */
export function withholdItems(problem: ChainProblem, hidden: ReadonlySet<string>): ChainProblem {
  if (hidden.size === 0) return problem;
  const redact = (p: Phrase): Phrase => {
    if (p.values === undefined) return p;
    const values = Object.fromEntries(
      Object.entries(p.values).map(([name, v]) => [name, typeof v === 'string' ? (hidden.has(v) ? phrase('archive.custody.withheldItem') : v) : typeof v === 'number' ? v : redact(v)]),
    );
    return { key: p.key, values };
  };
  const said = redact(problem.said);
  return { ...problem, said, detail: say(said) };
}

/** Walks the whole chain in pages (memory stays flat), yielding between pages so a caller can cancel. */
export async function diagnoseChain(db: Db, options: DiagnoseOptions = {}): Promise<ChainDiagnosis> {
  const max = options.maxProblems ?? 1000;
  const total = sql(db, 'SELECT count(*) FROM custody_events').pluck().get() as number;
  const page = sql(db, 'SELECT * FROM custody_events WHERE seq > ? ORDER BY seq LIMIT ?');
  const byHash = sql(db, 'SELECT * FROM custody_events WHERE hash = ?');
  const between = sql(db, 'SELECT * FROM custody_events WHERE seq > ? AND seq < ? ORDER BY seq LIMIT ?');
  const problems: ChainProblem[] = [];
  const reported = new Set<number>();
  const report = (p: Omit<ChainProblem, 'detail'>): void => {
    if (problems.length >= max || (p.problem !== 'removed' && reported.has(p.seq))) return;
    problems.push({ ...p, detail: say(p.said) });
    reported.add(p.seq);
  };

  // The number an event was written under, if its hash proves one: its own, or the one after the
  // event its link names (that event perhaps moved too: one level of that is followed).
  const originalSeq = (row: EventRow, depth = 0): number | null => {
    if (storedHash(row, row.seq) === row.hash) return row.seq;
    if (row.prev_hash === GENESIS_HASH) return storedHash(row, 1) === row.hash ? 1 : null;
    const before = byHash.get(row.prev_hash) as EventRow | undefined;
    if (!before) return null;
    const candidates = [before.seq + 1];
    if (depth < 2) {
      const moved = originalSeq(before, depth + 1);
      if (moved !== null && moved !== before.seq) candidates.push(moved + 1);
    }
    return candidates.find((k) => storedHash(row, k) === row.hash) ?? null;
  };

  // Rows a link skips over that no event names as its predecessor were put there later; rows some
  // event does name are real events that moved, reported as such where they stand.
  const named = sql(db, 'SELECT 1 FROM custody_events WHERE prev_hash = ? LIMIT 1').pluck();
  const reportSkipped = (from: number, row: EventRow, position: number): void => {
    const skipped = between.all(from, row.seq, max) as EventRow[];
    skipped.forEach((s, i) => {
      if (reported.has(s.seq) || named.get(s.hash) !== undefined) return;
      report({
        position: position - skipped.length + i,
        seq: s.seq,
        problem: 'inserted',
        said: phrase('archive.custody.inserted', {
          seq: n(s.seq),
          event: describe(s),
          next: n(row.seq),
          from: from === 0 ? phrase('archive.custody.chainStart') : phrase('archive.custody.eventNumber', { seq: n(from) }),
        }),
      });
    });
  };

  let position = 0;
  let expectedSeq = 1;
  let previous: EventRow | null = null;
  let head: { seq: number; hash: string } | null = null;
  for (let after = 0; ; ) {
    options.signal?.throwIfAborted();
    const rows = page.all(after, PAGE) as EventRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      position++;
      if (row.seq > expectedSeq) {
        for (let missing = expectedSeq; missing < row.seq && problems.length < max; missing++)
          report({
            position,
            seq: missing,
            problem: 'removed',
            said: previous
              ? phrase('archive.custody.removedBetween', { seq: n(missing), previous: n(previous.seq), previousPosition: n(position - 1), next: n(row.seq), position: n(position) })
              : phrase('archive.custody.removedBefore', { seq: n(missing), next: n(row.seq), position: n(position) }),
          });
      }
      const gap = row.seq > expectedSeq;
      const prevHash = previous?.hash ?? GENESIS_HASH;
      if (storedHash(row, row.seq) !== row.hash) {
        const was = originalSeq(row);
        if (was !== null && was !== row.seq) {
          report({
            position,
            seq: row.seq,
            problem: 'reordered',
            said: phrase('archive.custody.moved', { was: n(was), event: describe(row), position: n(position), seq: n(row.seq) }),
          });
          const linked = row.prev_hash === GENESIS_HASH ? null : (byHash.get(row.prev_hash) as EventRow | undefined);
          if (linked !== undefined && (linked?.seq ?? 0) < row.seq - 1) reportSkipped(linked?.seq ?? 0, row, position);
        } else
          report({
            position,
            seq: row.seq,
            problem: 'edited',
            said: phrase('archive.custody.edited', { seq: n(row.seq), event: describe(row) }),
          });
      } else if (row.prev_hash !== prevHash && !gap && !(previous && reported.has(previous.seq))) {
        const linked = row.prev_hash === GENESIS_HASH ? null : (byHash.get(row.prev_hash) as EventRow | undefined);
        if (row.prev_hash !== GENESIS_HASH && !linked) {
          // Its predecessor's hash exists nowhere: the event before it was rewritten (hash and all).
          if (previous)
            report({
              position: position - 1,
              seq: previous.seq,
              problem: 'edited',
              said: phrase('archive.custody.rewritten', { seq: n(previous.seq), event: describe(previous), next: n(row.seq) }),
            });
        } else if (linked && linked.seq > row.seq) {
          report({
            position,
            seq: row.seq,
            problem: 'reordered',
            said: phrase('archive.custody.linksForward', { seq: n(row.seq), event: describe(row), linked: n(linked.seq) }),
          });
        } else {
          // It links to an event further back: what stands in between was put there later.
          reportSkipped(linked?.seq ?? 0, row, position);
        }
      }
      previous = row;
      expectedSeq = row.seq + 1;
      head = { seq: row.seq, hash: row.hash };
    }
    after = rows[rows.length - 1]!.seq;
    options.onProgress?.(position, total);
    await new Promise((resolve) => setImmediate(resolve));
  }

  // Events removed from the end leave no gap among the rows, but SQLite remembers the highest number used.
  const used = (sql(db, "SELECT seq FROM sqlite_sequence WHERE name = 'custody_events'").pluck().get() as number | undefined) ?? 0;
  for (let missing = expectedSeq; missing <= used && problems.length < max; missing++)
    report({
      position: position + 1 + (missing - expectedSeq),
      seq: missing,
      problem: 'removed',
      said: previous ? phrase('archive.custody.removedEndAfter', { seq: n(missing), previous: n(previous.seq) }) : phrase('archive.custody.removedEnd', { seq: n(missing) }),
    });
  const expected = options.expectedHead;
  if (expected && !reported.has(expected.seq)) {
    const row = sql(db, 'SELECT * FROM custody_events WHERE seq = ?').get(expected.seq) as EventRow | undefined;
    const at = sql(db, 'SELECT count(*) FROM custody_events WHERE seq <= ?').pluck().get(expected.seq) as number;
    if (!row)
      report({
        position: at + 1,
        seq: expected.seq,
        problem: 'removed',
        said: phrase('archive.custody.headRemoved', { seq: n(expected.seq) }),
      });
    else if (row.hash !== expected.hash)
      report({
        position: at,
        seq: expected.seq,
        problem: 'edited',
        said: phrase('archive.custody.headChanged', { seq: n(expected.seq), event: describe(row) }),
      });
  }
  problems.sort((a, b) => a.position - b.position || a.seq - b.seq);
  return { events: position, problems, head };
}
