// The custody log: every change to the archive appends an event whose hash covers the previous
// event's hash, so a removed, reordered or edited event breaks the chain where it happened.
import { createHash } from 'node:crypto';
import type { CustodyAction, CustodyEvent } from '../../shared/domain.ts';
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
    const seq = (last?.seq ?? 0) + 1;
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

  /** Walks the whole chain; returns the first break, or null when every link holds. */
  verifyChain(): { seq: number; problem: string } | null {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    for (const row of sql(this.db, 'SELECT * FROM custody_events ORDER BY seq').iterate() as IterableIterator<EventRow>) {
      if (row.seq !== expectedSeq) return { seq: row.seq, problem: `event ${expectedSeq} is missing` };
      if (row.prev_hash !== prevHash) return { seq: row.seq, problem: 'it does not follow the event before it' };
      if (eventHash(toEventFields(row), row.details) !== row.hash)
        return { seq: row.seq, problem: 'its content was changed after it was written' };
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
