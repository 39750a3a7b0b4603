// Conflicts left by importing bundles: an item that arrived in a version different from ours, kept
// as a new item beside it. Resolving one never deletes evidence: the version not kept goes to the
// trash (restorable), and the custody log of both items records the decision.
import type { ConflictRecord } from '../../../shared/api.ts';
import { ArchiveError } from '../../../shared/errors.ts';
import { phrase, type PhraseValue } from '../../../shared/phrase.ts';
import { sql } from '../db/connection.ts';
import type { Archive } from '../index.ts';
import * as items from '../items.ts';
import { reindexItem } from '../search/basic.ts';

const SELECT = `SELECT c.id, c.local_item_id AS localItemId, COALESCE(l.title, '') AS localTitle,
                       c.incoming_item_id AS incomingItemId, COALESCE(n.title, '') AS incomingTitle,
                       c.bundle_id AS bundleId, c.reason, c.created_at AS createdAt,
                       c.resolved_at AS resolvedAt, c.resolution
                FROM conflicts c LEFT JOIN items l ON l.id = c.local_item_id LEFT JOIN items n ON n.id = c.incoming_item_id`;

export function listConflicts(archive: Archive, includeResolved = false): ConflictRecord[] {
  return sql(archive.db, `${SELECT} WHERE ? OR c.resolved_at IS NULL ORDER BY c.id`).all(includeResolved ? 1 : 0) as ConflictRecord[];
}

function getConflict(archive: Archive, id: number): ConflictRecord {
  const row = sql(archive.db, `${SELECT} WHERE c.id = ?`).get(id) as ConflictRecord | undefined;
  if (!row) throw new ArchiveError('not-found', phrase('bundle.conflict.notFound', { id: String(id) }));
  return row;
}

/** Which version a resolution kept, in words. */
function keptName(resolution: ConflictRecord['resolution']): PhraseValue {
  return resolution === 'local' || resolution === 'incoming' || resolution === 'both' ? phrase(`bundle.conflict.kept.${resolution}`) : String(resolution);
}

/** keep: 'local' trashes the incoming copy, 'incoming' trashes ours, 'both' keeps both as they are. */
export function resolveConflict(archive: Archive, id: number, keep: 'local' | 'incoming' | 'both'): ConflictRecord {
  archive.write((now) => {
    const conflict = getConflict(archive, id);
    if (conflict.resolvedAt !== null)
      throw new ArchiveError(
        'conflict',
        phrase('bundle.conflict.resolved', { id: String(id), date: conflict.resolvedAt.slice(0, 10), kept: keptName(conflict.resolution) }),
      );
    const trashed = keep === 'local' ? conflict.incomingItemId : keep === 'incoming' ? conflict.localItemId : null;
    if (trashed !== null) {
      const row = sql(archive.db, 'SELECT seq, deleted_at AS deletedAt FROM items WHERE id = ?').get(trashed) as { seq: number; deletedAt: string | null } | undefined;
      if (row && row.deletedAt === null) {
        items.setDeleted(archive.db, row.seq, now, now);
        archive.custody.append({ action: 'delete', itemId: trashed, details: { to: 'trash', conflict: id } }, now);
        reindexItem(archive.db, row.seq);
      }
    }
    sql(archive.db, 'UPDATE conflicts SET resolved_at = ?, resolution = ? WHERE id = ?').run(now, keep, id);
    const details = { conflict: id, keep, local: conflict.localItemId, incoming: conflict.incomingItemId, bundle: conflict.bundleId };
    archive.custody.append({ action: 'resolve-conflict', itemId: conflict.localItemId, details }, now);
    archive.custody.append({ action: 'resolve-conflict', itemId: conflict.incomingItemId, details }, now);
  });
  return getConflict(archive, id);
}
