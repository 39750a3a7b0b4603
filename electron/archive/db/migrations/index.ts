// The ordered list of schema migrations. A migration is never edited once released: add a new one.
import type { Db } from '../connection.ts';
import { initialSchema } from './001-initial.ts';
import { searchVocab } from './002-search-vocab.ts';
import { bundles } from './003-bundles.ts';
import { searchStems } from './004-search-stems.ts';
import { libraryOrder } from './005-library-order.ts';
import { searchPieces } from './006-search-pieces.ts';
import { conflictSameFile } from './007-conflict-same-file.ts';
import { searchStemsRanked } from './008-search-stems-ranked.ts';
import { searchSounds } from './009-search-sounds.ts';

export interface Migration {
  readonly name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [initialSchema, searchVocab, bundles, searchStems, libraryOrder, searchPieces, conflictSameFile, searchStemsRanked, searchSounds];
