#!/usr/bin/env node
// `sijil`: the archive from the command line, over the same contract as the app.
// Exit codes: 0 done; 1 the operation failed (one sentence on stderr says why); 2 the command, or
// a value in it, was typed wrong; 3 an import finished but skipped some files; 4 a check found a problem;
// 75 the archive was busy (another program writing to it): try again later; 130 interrupted.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { MAX_LIMIT, MIN_KEY_PASSPHRASE_CHARS, type BulkProgressEvent, type BundleProgressEvent, type Channel, type ImportProgressEvent, type ResultOf, type VerifyProgressEvent } from '../shared/api.ts';
import { ITEM_KINDS, type Item, type ItemKind } from '../shared/domain.ts';
import { containBidi, shownName } from '../shared/bidi.ts';
import { ArchiveError, toErrorValue, type ErrorCode } from '../shared/errors.ts';
import { invoke } from './archive/handlers.ts';
import { Archive } from './archive/index.ts';
import { defaultArchiveDir, holdsArchive } from './archive/location.ts';
import { hasSample, loadSample } from './archive/sample.ts';
import * as fmt from './cliFormat.ts';
import { PASSPHRASE_FILE_OPTION, fileProblem, readIdentityFile, readPassphrase } from './cliSecrets.ts';
import { checkKeyPassphrase, keyExistsError } from './archive/keys.ts';
import { decodeTextFile } from './archive/ingest/decode.ts';
import { openRegularFile } from './archive/store.ts';

// 75 is sysexits' EX_TEMPFAIL, so a script can tell "try again later" from a failure.
const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3, problem: 4, busy: 75, interrupted: 130 } as const;

class UsageError extends Error {}

/**
 * The engine's refusal of a value (a date that is no date, an id too short to be one, a file that
 * is there already) is the command typed wrong, like an unknown option: a script can tell it from
 * an operation that failed on good input.
 */
function exitFor(code: ErrorCode): number {
  switch (code) {
    case 'invalid-argument':
    case 'ambiguous-id':
      return EXIT.usage;
    case 'cancelled':
      return EXIT.interrupted;
    case 'busy':
      return EXIT.busy;
    default:
      return EXIT.failed;
  }
}

/** Prints a result: as JSON (--json), or for a person. */
function printer(io: Io) {
  return <T>(json: boolean | undefined, value: T, human: (v: T) => string) => io.out(json ? fmt.jsonText(value) : human(value));
}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
  /**
   * Runs a change that holds the thread until its one transaction commits. A SIGINT listener
   * would run only after the commit, so the process lifts its own meanwhile: Ctrl+C then ends the
   * process at once and SQLite rolls the transaction back, changing nothing. Only the real
   * process passes one; in-process callers have no signal to give up.
   */
  holdingThread?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** rm and restore of this many ids take a moment (about 0.1 s per 1,000) and say so on a terminal. */
const MANY_IDS = 1000;

const USAGE = `sijil — an offline archive for human-rights documentation

Usage: sijil [--archive DIR] COMMAND [options]

Commands:
  init [--sample]                 create the archive (with the demo items)
  import PATH... [--tag T] [--collection C] [--kind K]
                                  import files and folders (web pages, PDFs, media, text)
  add note --title T (--text TEXT | --file F) [--tag T] [--collection C]
  add testimony --title T [--speaker ALIAS] [--speaker-name NAME] [--contact C]
                [--relation R] [--interviewer I] [--consent TEXT] [--place P]
                [--event-date D] [--language L] [--recording FILE]
                [--transcript FILE] [--transcript-lang L]
                [--translation FILE] [--translation-lang L] [--tag T] [--collection C]
  list [--kind K] [--tag T] [--collection C] [--trash] [--limit N] [--offset N]
  show ID [--reveal]              an item; --reveal shows protected testimony fields
  edit ID --set FIELD=VALUE...    change fields (--set FIELD= clears one)
  tag ID TAG... [--remove]        add (or remove) tags
  collection ID NAME [--remove]   add an item to a collection (case), or remove it
  link FROM TO [--relation R] [--remove]
  rm ID...                        move items to the trash
  restore ID...                   bring items back from the trash
  search QUERY [--limit N]        full-text search
  log ID                          the item's custody events
  tags | collections              list tags or collections with counts
  tags remove T | collections remove C
                                  remove one that no item uses (not even in the trash)
  tags rename T NEW | collections rename C NEW
                                  rename one on every item that has it (a name already
                                  in use merges the two)
  collections describe C TEXT     what the case is about ("" clears it; it travels in bundles)
  check                           check the database, search index, files and custody chain
  verify [--item ID]...           re-hash every file, find untracked ones, diagnose the custody
                                  chain, check the database (recorded in the custody log)
  custody ID [--out FILE] [--force]
                                  the item's custody report, for a lawyer (text)
  index check|rebuild             check or rebuild the search index
  key new                         make the archive's own key (asks for a passphrase)
  key show                        print the archive key's recipient (age1…) to give out
  key check                       check the passphrase opens the key
  key list                        the address book of recipients
  key add-recipient NAME age1…    add someone bundles can be encrypted to
  key remove-recipient NAME
                                  passphrases: typed when asked, or --passphrase-file FILE
  export [--ids A,B | --collection C | --query Q] --to FILE
         (--passphrase | --recipient R... | --to-self) [--redact] [--no-media]
         [--organization ORG] [--force]
                                  write an encrypted bundle (.sijil) of the whole archive or a
                                  selection; R is an age1… key or a name in the address book
  inspect FILE [--identity KEYFILE | --passphrase]
                                  what a bundle holds, who made it and when, without importing
  import-bundle FILE [--identity KEYFILE | --passphrase]
                                  verify a bundle whole, then merge it (nothing here is overwritten)
                                  (inspect and import-bundle open with this archive's key unless told)
  conflicts [--all]               items that arrived in a version different from ours
  conflicts resolve N --keep local|incoming|both
                                  settle one (the version not kept goes to the trash)
  info                            where the archive is and what it holds

Options: --json (machine-readable output on every read command), --archive DIR
(default: $SIJIL_ARCHIVE or ${defaultArchiveDir()}; only init makes one there), --help, --version.
Item ids may be shortened to their first 4 or more characters, if no other id starts so.`;

const GLOBAL = { archive: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  const all = { ...GLOBAL, ...options };
  // parseArgs takes "--limit -1" for a forgotten value; a negative number is a value, which the
  // option's own check then refuses in words.
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const takesValue = arg.startsWith('--') && all[arg.slice(2)]?.type === 'string';
    if (takesValue && next !== undefined && /^-\d/.test(next)) args.push(`${arg}=${argv[++i]}`);
    else args.push(arg);
  }
  try {
    return parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

/** parse() for a command that takes options only: a stray word is most often the rest of an unquoted value. */
function parseNoWords<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  const parsed = parse(argv, options);
  if (parsed.positionals.length > 0)
    throw new UsageError(`unexpected ${parsed.positionals.length === 1 ? 'word' : 'words'} ${parsed.positionals.map((w) => JSON.stringify(w)).join(' ')}: put quotes around a value with spaces`);
  return parsed;
}

export async function main(argv: string[], given: Io, signal?: AbortSignal): Promise<number> {
  const io: Io = { ...given, out: (t) => given.out(fmt.terminalSafe(t)), err: (t) => given.err(fmt.terminalSafe(t)) };
  const [command, rest] = splitWord(argv);
  if (argv.includes('--version')) {
    io.out(JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version as string);
    return EXIT.ok;
  }
  if (!command || argv.includes('--help') || argv.includes('-h') || command === 'help') {
    io.out(USAGE);
    return command || argv.includes('--help') || argv.includes('-h') ? EXIT.ok : EXIT.usage;
  }
  let archive: Archive | undefined;
  const open = (dir: string | undefined): Archive => {
    // An empty --archive (a script's unset variable) would resolve to the current folder.
    if (dir !== undefined && dir.trim() === '') throw new UsageError('--archive needs a folder; leave it out to use the default archive or $SIJIL_ARCHIVE');
    const root = path.resolve(dir ?? defaultArchiveDir());
    // Only init makes an archive: a mistyped --archive must not answer "No items." from a new,
    // empty one, nor take in files the researcher believes went to their archive.
    if (command !== 'init' && !holdsArchive(root)) throw new ArchiveError('not-found', noArchiveMessage(root, dir !== undefined));
    return (archive = Archive.open(root));
  };
  try {
    return await run(command, rest, io, open, signal);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`sijil: ${err.message}\nRun "sijil --help" for the commands.`);
      return EXIT.usage;
    }
    const { code, message } = toErrorValue(err);
    io.err(`sijil: ${message}`);
    if (code === 'internal' && process.env.SIJIL_DEBUG) io.err(String((err as Error).stack));
    return exitFor(code);
  } finally {
    archive?.close();
  }
}

function noArchiveMessage(root: string, named: boolean): string {
  const how = named ? 'the folder given by --archive' : process.env.SIJIL_ARCHIVE ? 'the folder $SIJIL_ARCHIVE names' : 'the default folder';
  const init = named || process.env.SIJIL_ARCHIVE ? `sijil init --archive ${JSON.stringify(root)}` : 'sijil init';
  return `There is no Sijil archive in ${root} (${how}). Check the path; to start a new archive there, run: ${init}`;
}

async function run(command: string, argv: string[], io: Io, open: (dir: string | undefined) => Archive, signal?: AbortSignal): Promise<number> {
  const print = printer(io);
  // One transaction over many items holds the thread: Ctrl+C then ends the process and SQLite
  // rolls the change back (see holdingThread). warnOneStep says so on a terminal: called only
  // inside inOneStep's work, so the sentence is true whenever the key is pressed.
  const inOneStep = <T>(work: () => Promise<T>): Promise<T> => (io.holdingThread ? io.holdingThread(work) : work());
  const warnOneStep = (doing: string): void => {
    if (io.isTTY) io.err(`${doing} in one step; Ctrl+C now leaves every one as it was.`);
  };
  // items.progress goes to `onItems` only: rm and restore list their items when done.
  const call = <C extends Channel>(archive: Archive, channel: C, args: unknown, onItems?: (p: BulkProgressEvent) => void): Promise<ResultOf<C>> =>
    invoke(archive, channel, args, {
      signal,
      progress: (e, p) =>
        e === 'items.progress'
          ? onItems?.(p as BulkProgressEvent)
          : e === 'bundle.progress'
            ? bundleProgress(io, p as BundleProgressEvent)
            : e === 'verify.progress'
              ? verifyProgress(io, p as VerifyProgressEvent)
              : progress(io, p as ImportProgressEvent),
    });

  switch (command) {
    case 'init': {
      const { values } = parseNoWords(argv, { sample: { type: 'boolean' } });
      const archive = open(values.archive);
      if (values.sample) {
        const { items, trash } = archive.count();
        if (items + trash > 0 && hasSample(archive)) io.err('The demo items are already in this archive.');
        else if (items + trash > 0)
          throw new ArchiveError('invalid-argument', `The archive at ${archive.dir} already has items; load the demo into a new archive (--archive DIR).`);
        else {
          const result = await loadSample(archive);
          io.err(`Loaded ${result.items} demo items. ${result.notice}`);
        }
      }
      const info = await call(archive, 'archive.info', {});
      print(values.json, info, fmt.info);
      return EXIT.ok;
    }
    case 'info': {
      const { values } = parseNoWords(argv, {});
      print(values.json, await call(open(values.archive), 'archive.info', {}), fmt.info);
      return EXIT.ok;
    }
    case 'import': {
      const { values, positionals } = parse(argv, {
        tag: { type: 'string', multiple: true },
        collection: { type: 'string', multiple: true },
        kind: { type: 'string' },
      });
      if (positionals.length === 0) throw new UsageError('import needs at least one file or folder');
      const summary = await call(open(values.archive), 'import.paths', {
        paths: positionals,
        tags: values.tag ?? [],
        collections: values.collection ?? [],
        kind: kindOption(values.kind),
      });
      if (io.isTTY) io.err('');
      print(values.json, summary, fmt.importSummary);
      return summary.skipped > 0 ? EXIT.partial : EXIT.ok;
    }
    case 'add': {
      const [what, args] = splitWord(argv);
      if (what === 'note') {
        const { values } = parseNoWords(args, {
          title: { type: 'string' },
          text: { type: 'string' },
          file: { type: 'string' },
          language: { type: 'string' },
          tag: { type: 'string', multiple: true },
          collection: { type: 'string', multiple: true },
        });
        if ((values.text === undefined) === (values.file === undefined)) throw new UsageError('add note needs either --text or --file');
        const body = values.file !== undefined ? await readTextFile(values.file) : (values.text as string);
        const item = await call(open(values.archive), 'items.addNote', {
          title: values.title ?? '',
          body,
          language: values.language,
          tags: values.tag ?? [],
          collections: values.collection ?? [],
        });
        print(values.json, item, (i) => `Added note ${i.id} "${containBidi(i.title)}".`);
        return EXIT.ok;
      }
      if (what === 'testimony') {
        const { values } = parseNoWords(args, {
          title: { type: 'string' },
          speaker: { type: 'string' },
          'speaker-name': { type: 'string' },
          contact: { type: 'string' },
          relation: { type: 'string' },
          interviewer: { type: 'string' },
          consent: { type: 'string' },
          place: { type: 'string' },
          'event-date': { type: 'string' },
          language: { type: 'string' },
          recording: { type: 'string' },
          transcript: { type: 'string', multiple: true },
          'transcript-lang': { type: 'string' },
          translation: { type: 'string', multiple: true },
          'translation-lang': { type: 'string' },
          tag: { type: 'string', multiple: true },
          collection: { type: 'string', multiple: true },
        });
        const item = await call(open(values.archive), 'items.addTestimony', {
          title: values.title ?? '',
          speakerAlias: values.speaker,
          speakerName: values['speaker-name'],
          speakerContact: values.contact,
          relationToCase: values.relation,
          interviewer: values.interviewer,
          consent: values.consent,
          place: values.place,
          eventDate: values['event-date'],
          language: values.language,
          recording: values.recording,
          transcripts: [
            ...(values.transcript ?? []).map((p) => ({ path: p, language: values['transcript-lang'] ?? values.language, role: 'transcript' })),
            ...(values.translation ?? []).map((p) => ({ path: p, language: values['translation-lang'], role: 'translation' })),
          ],
          tags: values.tag ?? [],
          collections: values.collection ?? [],
        });
        print(values.json, fmt.hideProtected(item), (i) => `Added testimony ${i.id} "${containBidi(i.title)}".`);
        return EXIT.ok;
      }
      throw new UsageError('add takes "note" or "testimony"');
    }
    case 'list': {
      const { values } = parseNoWords(argv, {
        kind: { type: 'string' },
        tag: { type: 'string' },
        collection: { type: 'string' },
        trash: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
      });
      const items = await call(open(values.archive), 'items.list', {
        kind: kindOption(values.kind),
        tag: values.tag,
        collection: values.collection,
        trash: values.trash,
        limit: numberOption(values.limit, 'limit', 1, MAX_LIMIT) ?? 100,
        offset: numberOption(values.offset, 'offset', 0) ?? 0,
      });
      print(values.json, items, fmt.itemList);
      return EXIT.ok;
    }
    case 'show': {
      const { values, positionals } = parse(argv, { reveal: { type: 'boolean' } });
      const item = await call(open(values.archive), 'items.get', { id: one(positionals, 'show needs an item id') });
      const shown = values.reveal ? item : fmt.hideProtected(item);
      print(values.json, shown, (i: Item) => fmt.item(i, Boolean(values.reveal)));
      return EXIT.ok;
    }
    case 'edit': {
      const { values, positionals } = parse(argv, { set: { type: 'string', multiple: true } });
      const id = one(positionals, 'edit needs an item id');
      if (!values.set?.length) throw new UsageError('edit needs at least one --set FIELD=VALUE');
      const set: Record<string, string | null> = {};
      for (const pair of values.set) {
        const eq = pair.indexOf('=');
        if (eq <= 0) throw new UsageError(`--set takes FIELD=VALUE, not "${pair}"`);
        const value = pair.slice(eq + 1);
        set[fmt.fieldName(pair.slice(0, eq))] = value === '' ? null : value;
      }
      const item = await call(open(values.archive), 'items.edit', { id, set });
      print(values.json, fmt.hideProtected(item), (i) => `Updated ${i.id} "${containBidi(i.title)}".`);
      return EXIT.ok;
    }
    case 'tag': {
      const { values, positionals } = parse(argv, { remove: { type: 'boolean' } });
      const [id, ...tags] = positionals;
      if (!id || tags.length === 0) throw new UsageError('tag needs an item id and at least one tag');
      if (tags.some((t) => t.trim() === '')) throw new UsageError('a tag cannot be an empty name');
      const item = await call(open(values.archive), 'items.tag', { id, add: values.remove ? [] : tags, remove: values.remove ? tags : [] });
      print(values.json, fmt.hideProtected(item), (i) => `${i.id} "${containBidi(i.title)}" is tagged: ${containBidi(i.tags.join(', ')) || '(no tags)'}.`);
      return EXIT.ok;
    }
    case 'collection': {
      const { values, positionals } = parse(argv, { remove: { type: 'boolean' } });
      const [id, name, ...extra] = positionals;
      if (!id || !name || extra.length) throw new UsageError('collection needs an item id and one collection name (quote names with spaces)');
      const item = await call(open(values.archive), 'items.collect', { id, collection: name, remove: Boolean(values.remove) });
      print(values.json, fmt.hideProtected(item), (i) => `${i.id} "${containBidi(i.title)}" is in: ${containBidi(i.collections.join(', ')) || '(no collections)'}.`);
      return EXIT.ok;
    }
    case 'link': {
      const { values, positionals } = parse(argv, { relation: { type: 'string' }, remove: { type: 'boolean' } });
      const [from, to, ...extra] = positionals;
      if (!from || !to || extra.length) throw new UsageError('link needs two item ids: FROM TO');
      const item = await call(open(values.archive), 'items.link', { from, to, relation: values.relation, remove: Boolean(values.remove) });
      print(values.json, fmt.hideProtected(item), fmt.links);
      return EXIT.ok;
    }
    case 'rm':
    case 'restore': {
      const { values, positionals } = parse(argv, {});
      if (positionals.length === 0) throw new UsageError(`${command} needs at least one item id`);
      const archive = open(values.archive);
      const trashing = command === 'rm';
      // Read before the change, to say which were so already rather than claim a change not made
      // (nor recorded). An unknown id is left to items.bulk, whose refusal names them all.
      const before = await Promise.all(positionals.map((id) => call(archive, 'items.get', { id }).catch(() => null)));
      // One transaction for them all: an unknown id changes none of them.
      const { changed } = await inOneStep(() => {
        if (positionals.length >= MANY_IDS) warnOneStep(`${trashing ? 'Moving' : 'Restoring'} ${positionals.length} items`);
        return call(archive, 'items.bulk', { ids: positionals, action: trashing ? 'trash' : 'restore' });
      });
      // Titles are as they were: only --json, which shows the new state, reads them again.
      const items = values.json ? await Promise.all(positionals.map((id) => call(archive, 'items.get', { id }))) : (before as Item[]);
      const said = (i: Item) =>
        (i.deletedAt !== null) === trashing ? (trashing ? 'Already in the trash' : 'Not in the trash, left as it was') : trashing ? 'Moved to the trash' : 'Restored';
      print(values.json, items.map(fmt.hideProtected), (list) =>
        list.map((i) => `${said(i)}: ${i.id} "${containBidi(i.title)}"`).join('\n') +
        (trashing && changed > 0 ? '\n(sijil restore ID brings an item back.)' : ''),
      );
      return EXIT.ok;
    }
    case 'search': {
      const [options, words] = queryWords(argv, ['--limit', '--archive']);
      const { values } = parseNoWords(options, { limit: { type: 'string' } });
      if (words.length === 0) throw new UsageError('search needs a query');
      const hits = await call(open(values.archive), 'search.query', { query: words.join(' '), limit: numberOption(values.limit, 'limit', 1, MAX_LIMIT) ?? 20 });
      print(values.json, hits, fmt.hits);
      return EXIT.ok;
    }
    case 'log': {
      const { values, positionals } = parse(argv, {});
      const events = await call(open(values.archive), 'items.history', { id: one(positionals, 'log needs an item id') });
      print(values.json, events, fmt.events);
      return EXIT.ok;
    }
    case 'tags':
    case 'collections': {
      const [action, args] = splitWord(argv);
      const kind = command === 'tags' ? 'tag' : 'collection';
      if (action === 'remove') {
        const { values, positionals } = parse(args, {});
        const name = one(positionals, `${command} remove needs one ${kind} name (quote names with spaces)`);
        const result = await call(open(values.archive), 'labels.remove', { kind, name });
        print(values.json, result, (r) => `Removed the ${kind} "${containBidi(r.removed)}", which no item used.`);
        return EXIT.ok;
      }
      if (action === 'rename') {
        const { values, positionals } = parse(args, {});
        if (positionals.length !== 2) throw new UsageError(`${command} rename needs the ${kind}'s name and its new name (quote names with spaces)`);
        const [name, to] = positionals as [string, string];
        // One transaction over every item that has it, as for rm; said once it has proved long (its first count).
        const archive = open(values.archive);
        let warned = false;
        const result = await inOneStep(() =>
          call(archive, 'labels.rename', { kind, name, to }, ({ done, total }) => {
            if (warned || done >= total) return;
            warned = true;
            warnOneStep(`Renaming the ${kind} on ${total} items`);
          }),
        );
        print(values.json, result, (r) => fmt.labelRenamed(kind, r));
        return EXIT.ok;
      }
      if (action === 'describe' && command === 'collections') {
        const { values, positionals } = parse(args, {});
        if (positionals.length !== 2) throw new UsageError('collections describe needs the collection\'s name and what it is about ("" clears it)');
        const [name, description] = positionals as [string, string];
        const result = await call(open(values.archive), 'labels.describe', { name, description });
        print(values.json, result, (r) => (r.description ? `Described the collection "${containBidi(r.name)}".` : `Cleared the description of the collection "${containBidi(r.name)}".`));
        return EXIT.ok;
      }
      if (action !== undefined)
        throw new UsageError(`${command} takes "remove NAME", "rename NAME NEW-NAME"${command === 'collections' ? ', "describe NAME TEXT"' : ''}, or nothing to list them`);
      const { values } = parseNoWords(args, {});
      const labels = await call(open(values.archive), command === 'tags' ? 'labels.tags' : 'labels.collections', {});
      print(values.json, labels, fmt.labels);
      return EXIT.ok;
    }
    case 'check': {
      const { values } = parseNoWords(argv, {});
      const report = await call(open(values.archive), 'archive.check', {});
      print(values.json, report, fmt.check);
      return report.ok ? EXIT.ok : EXIT.problem;
    }
    case 'verify': {
      const { values, positionals } = parse(argv, { item: { type: 'string', multiple: true } });
      if (positionals.length) throw new UsageError(`verify takes no words besides its options (got "${positionals[0]}"); name items with --item ID`);
      const report = await call(open(values.archive), 'archive.verify', values.item?.length ? { items: values.item } : {});
      endVerifyProgress(io);
      print(values.json, report, fmt.verifyReport);
      return report.ok ? EXIT.ok : EXIT.problem;
    }
    case 'custody': {
      const { values, positionals } = parse(argv, { out: { type: 'string' }, force: { type: 'boolean' } });
      const report = await call(open(values.archive), 'items.custodyReport', { id: one(positionals, 'custody needs one item id') });
      if (values.out === undefined) {
        print(values.json, report, (r) => r.text);
        return EXIT.ok;
      }
      writeReport(values.out, report.text, Boolean(values.force));
      print(values.json, { ...report, path: values.out }, () => `Wrote the custody report to ${values.out}.`);
      return EXIT.ok;
    }
    case 'index': {
      const { values, positionals } = parse(argv, {});
      const action = one(positionals, 'index takes "check" or "rebuild"');
      if (action === 'check') {
        const result = await call(open(values.archive), 'index.check', {});
        print(values.json, result, (r) => (r.ok ? 'The search index is sound.' : `The search index has a problem: ${r.problem}. Run "sijil index rebuild".`));
        return result.ok ? EXIT.ok : EXIT.problem;
      }
      if (action === 'rebuild') {
        const result = await call(open(values.archive), 'index.rebuild', {});
        print(values.json, result, (r) => `Rebuilt the search index: ${r.indexed} items.`);
        return EXIT.ok;
      }
      throw new UsageError('index takes "check" or "rebuild"');
    }
    case 'key':
      return runKey(argv, io, open, call, signal);
    case 'export':
    case 'inspect':
    case 'import-bundle':
    case 'conflicts':
      return runBundle(command, argv, io, open, call);
    default:
      throw new UsageError(`"${command}" is not a command`);
  }
}

type Call = <C extends Channel>(archive: Archive, channel: C, args: unknown) => Promise<ResultOf<C>>;

/** `sijil key …`: the archive's own key and the address book of recipients. */
async function runKey(argv: string[], io: Io, open: (dir: string | undefined) => Archive, call: Call, signal?: AbortSignal): Promise<number> {
  const [action, args] = splitWord(argv);
  const print = printer(io);
  // Refused by name, so the answer says why instead of "unknown option".
  if (args.some((a) => a === '--passphrase' || a.startsWith('--passphrase='))) {
    throw new UsageError('a passphrase is never taken on the command line, where other users and the shell history could see it: type it when asked, or give --passphrase-file FILE');
  }
  switch (action) {
    case 'new': {
      const { values, positionals } = parse(args, PASSPHRASE_FILE_OPTION);
      if (positionals.length) throw new UsageError('key new takes no names (the key belongs to the archive)');
      const archive = open(values.archive);
      // Before asking for a passphrase: typing one twice only to hear the key exists helps nobody.
      const { recipient: existing } = await call(archive, 'keys.status', {});
      if (existing !== null) throw keyExistsError(existing);
      if (!values['passphrase-file'] && process.stdin.isTTY) {
        io.err(`The archive's key is kept in ${archive.dir}/keys, protected by a passphrase of at least ${MIN_KEY_PASSPHRASE_CHARS} characters.\nWithout the passphrase the key cannot be opened, and neither can bundles sent to it: keep it safe.`);
      }
      const passphrase = await readPassphrase({
        file: values['passphrase-file'],
        prompt: "New passphrase for this archive's key",
        confirm: true,
        validate: checkKeyPassphrase,
        signal,
      });
      const created = await call(archive, 'keys.create', { passphrase });
      if (!values.json) io.err(`Made the archive's key (${archive.dir}/keys/identity.age). Its recipient, to give to whoever sends you bundles:`);
      print(values.json, created, (r) => r.recipient);
      return EXIT.ok;
    }
    case 'show': {
      const { values, positionals } = parse(args, {});
      if (positionals.length) throw new UsageError('key show takes no names; "sijil key list" shows the address book');
      const status = await call(open(values.archive), 'keys.status', {});
      if (status.recipient === null && !values.json) {
        io.err('sijil: this archive has no key yet; "sijil key new" makes one.');
        return EXIT.failed;
      }
      print(values.json, status, (s) => s.recipient ?? '');
      return EXIT.ok;
    }
    case 'check': {
      const { values, positionals } = parse(args, PASSPHRASE_FILE_OPTION);
      if (positionals.length) throw new UsageError('key check takes no names');
      const archive = open(values.archive);
      const passphrase = await readPassphrase({ file: values['passphrase-file'], prompt: "Passphrase for this archive's key", signal });
      const checked = await call(archive, 'keys.check', { passphrase });
      print(values.json, checked, (r) => `The passphrase opens this archive's key (${r.recipient}).`);
      return EXIT.ok;
    }
    case 'list': {
      const { values, positionals } = parse(args, {});
      if (positionals.length) throw new UsageError('key list takes no names');
      print(values.json, await call(open(values.archive), 'keys.recipients.list', {}), fmt.addressBook);
      return EXIT.ok;
    }
    case 'add-recipient': {
      const { values, positionals } = parse(args, {});
      const [name, recipient, ...extra] = positionals;
      if (!name || !recipient || extra.length) throw new UsageError('key add-recipient takes a name and a recipient: NAME age1… (quote a name with spaces)');
      const entry = await call(open(values.archive), 'keys.recipients.add', { name, recipient });
      print(values.json, entry, (e) => `Added "${e.name}" (${e.recipient}) to the address book.`);
      return EXIT.ok;
    }
    case 'remove-recipient': {
      const { values, positionals } = parse(args, {});
      const name = one(positionals, 'key remove-recipient takes one name (quote a name with spaces)');
      const entry = await call(open(values.archive), 'keys.recipients.remove', { name });
      print(values.json, entry, (e) => `Removed "${e.name}" (${e.recipient}) from the address book.`);
      return EXIT.ok;
    }
    default:
      throw new UsageError('key takes new, show, check, list, add-recipient NAME age1… or remove-recipient NAME');
  }
}

const OPEN_OPTIONS = {
  identity: { type: 'string' },
  passphrase: { type: 'boolean' },
  ...PASSPHRASE_FILE_OPTION,
  'key-passphrase-file': { type: 'string' },
} as const;

/**
 * What opens a bundle: --identity KEYFILE (as age-keygen writes it; a passphrase-protected one is
 * asked for), or the bundle's passphrase (--passphrase / --passphrase-file), else this archive's
 * own key, whose passphrase is asked for (or read from --key-passphrase-file).
 */
async function openingCredentials(archive: Archive, values: { identity?: string; passphrase?: boolean; 'passphrase-file'?: string; 'key-passphrase-file'?: string }, call: Call) {
  if (values.identity !== undefined) {
    const identities = await readIdentityFile(values.identity, { passphraseFile: values['passphrase-file'] });
    return { identity: identities.join('\n') };
  }
  if (values.passphrase || values['passphrase-file'] !== undefined)
    return { passphrase: await readPassphrase({ file: values['passphrase-file'], prompt: 'Passphrase for the bundle' }) };
  const { recipient } = await call(archive, 'keys.status', {});
  if (recipient === null)
    throw new UsageError('this archive has no key of its own: give --identity KEYFILE or --passphrase (or make a key with "sijil key new")');
  return { useArchiveKey: true, keyPassphrase: await readPassphrase({ file: values['key-passphrase-file'], prompt: "Passphrase for this archive's key" }) };
}

/** `sijil export | inspect | import-bundle | conflicts`: encrypted bundles. */
async function runBundle(command: string, argv: string[], io: Io, open: (dir: string | undefined) => Archive, call: Call): Promise<number> {
  const print = printer(io);
  if (argv.some((a) => a.startsWith('--passphrase='))) {
    throw new UsageError('a passphrase is never taken on the command line, where other users and the shell history could see it: give --passphrase to be asked for it, or --passphrase-file FILE');
  }
  switch (command) {
    case 'export': {
      const { values, positionals } = parse(argv, {
        ids: { type: 'string', multiple: true },
        collection: { type: 'string' },
        query: { type: 'string' },
        to: { type: 'string' },
        passphrase: { type: 'boolean' },
        ...PASSPHRASE_FILE_OPTION,
        recipient: { type: 'string', multiple: true },
        'to-self': { type: 'boolean' },
        redact: { type: 'boolean' },
        'no-media': { type: 'boolean' },
        organization: { type: 'string' },
        force: { type: 'boolean' },
      });
      if (positionals.length) throw new UsageError(`export takes no words besides its options (got "${positionals[0]}"); select items with --ids, --collection or --query`);
      if (!values.to) throw new UsageError('export needs --to FILE, the bundle to write');
      const byPassphrase = Boolean(values.passphrase) || values['passphrase-file'] !== undefined;
      const byKeys = Boolean(values.recipient?.length) || Boolean(values['to-self']);
      if (byPassphrase === byKeys)
        throw new UsageError(byPassphrase ? 'a bundle is for a passphrase or for keys (--recipient, --to-self), not both' : 'export needs --passphrase, --recipient R or --to-self: who may open the bundle');
      const ids = values.ids?.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
      // An --ids left empty (a script's unset variable) must not widen to the whole archive.
      if (ids !== undefined && ids.length === 0) throw new UsageError('--ids names no item; give item ids separated by commas, or leave --ids out to export the whole archive');
      const archive = open(values.archive);
      const credentials = byPassphrase
        ? { passphrase: await readPassphrase({ file: values['passphrase-file'], prompt: 'Passphrase for the bundle', confirm: true }) }
        : { recipients: values.recipient ?? [], useArchiveKey: Boolean(values['to-self']) };
      const result = await call(archive, 'bundle.export', {
        selection: { ids: ids?.length ? ids : undefined, collection: values.collection, query: values.query },
        to: values.to,
        credentials,
        redact: Boolean(values.redact),
        media: !values['no-media'],
        overwrite: Boolean(values.force),
        organization: values.organization,
      }).catch((err: unknown) => {
        // The engine's sentence serves the app's dialog; here, the way to allow it is an option.
        if ((err as { phrase?: { key?: string } }).phrase?.key === 'bundle.export.exists')
          throw new ArchiveError('invalid-argument', `${values.to} already exists; choose another name or add --force to replace it.`);
        throw err;
      });
      endProgress(io);
      print(values.json, result, fmt.bundleExport);
      return EXIT.ok;
    }
    case 'inspect':
    case 'import-bundle': {
      const { values, positionals } = parse(argv, OPEN_OPTIONS);
      const file = one(positionals, `${command} needs one bundle file`);
      const archive = open(values.archive);
      const credentials = await openingCredentials(archive, values, call);
      if (command === 'inspect') {
        print(values.json, await call(archive, 'bundle.inspect', { path: file, credentials }), fmt.bundleInfo);
        return EXIT.ok;
      }
      const result = await call(archive, 'bundle.import', { path: file, credentials });
      endProgress(io);
      print(values.json, result, fmt.bundleImport);
      return EXIT.ok;
    }
    case 'conflicts': {
      const [action, args] = splitWord(argv);
      if (action === undefined) {
        const { values } = parseNoWords(args, { all: { type: 'boolean' } });
        print(values.json, await call(open(values.archive), 'conflicts.list', { includeResolved: Boolean(values.all) }), fmt.conflicts);
        return EXIT.ok;
      }
      if (action !== 'resolve') throw new UsageError('conflicts takes "resolve N --keep local|incoming|both" (N as "sijil conflicts" numbers them), or nothing to list them');
      const { values, positionals } = parse(args, { keep: { type: 'string' } });
      const id = one(positionals, 'conflicts resolve needs one conflict number');
      if (!/^#?\d+$/.test(id)) throw new UsageError(`a conflict is a number, as "sijil conflicts" lists them, not "${id}"`);
      const keep = values.keep;
      if (keep !== 'local' && keep !== 'incoming' && keep !== 'both') throw new UsageError('conflicts resolve needs --keep local, --keep incoming or --keep both');
      const resolved = await call(open(values.archive), 'conflicts.resolve', { id: Number(id.replace('#', '')), keep });
      print(values.json, resolved, fmt.conflictResolved);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`"${command}" is not a command`);
  }
}

/**
 * A query's words apart from the command's options: "-word" (exclude) and "-" are words of the
 * query, not options parseArgs would refuse; "--" ends the options. `valued` take the next argument.
 */
function queryWords(argv: string[], valued: readonly string[]): [options: string[], words: string[]] {
  const options: string[] = [];
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') && arg !== '-h') words.push(arg);
    else {
      options.push(arg);
      if (valued.includes(arg) && i + 1 < argv.length) options.push(argv[++i] as string);
    }
  }
  return [options, words];
}

/** The first word that is not an option or the value of --archive, and the arguments around it. */
function splitWord(argv: string[]): [string | undefined, string[]] {
  const index = argv.findIndex((a, i) => !a.startsWith('-') && argv[i - 1] !== '--archive');
  if (index < 0) return [undefined, argv];
  return [argv[index], [...argv.slice(0, index), ...argv.slice(index + 1)]];
}

function one(positionals: string[], message: string): string {
  if (positionals.length !== 1) throw new UsageError(message);
  return positionals[0] as string;
}

function numberOption(value: string | undefined, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`--${name} takes a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}, not "${value}"`);
  return n;
}

/** --kind, checked here so that a mistyped kind is a usage mistake (exit 2) like a mistyped option. */
function kindOption(value: string | undefined): ItemKind | undefined {
  if (value === undefined || (ITEM_KINDS as readonly string[]).includes(value)) return value as ItemKind | undefined;
  throw new UsageError(`--kind takes one of ${ITEM_KINDS.join(', ')}, not "${value}"`);
}

/** A note's text from a file: refused, never altered, if it is not Unicode text. */
async function readTextFile(file: string): Promise<string> {
  const handle = await openRegularFile(file).catch((err: unknown) => {
    throw err instanceof ArchiveError ? err : new ArchiveError('file-unreadable', `${file} cannot be read: ${fileProblem(err)}.`);
  });
  try {
    const text = decodeTextFile(await handle.readFile());
    if (text === null) throw new ArchiveError('unsupported-file', `${file} is not a text file; a note must be plain text (UTF-8, or UTF-16 with a byte order mark). Import it instead to keep it as a file.`);
    return text;
  } finally {
    await handle.close();
  }
}

/** A custody report is evidence: an existing file is not replaced unless asked (--force). */
function writeReport(file: string, text: string, force: boolean): void {
  try {
    fs.writeFileSync(file, text, { flag: force ? 'w' : 'wx', mode: 0o600 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && fs.statSync(file, { throwIfNoEntry: false })?.isDirectory())
      throw new ArchiveError('invalid-argument', `${file} is a folder; give the report a file name (in that folder, say).`);
    if (code === 'EEXIST') throw new ArchiveError('invalid-argument', `${file} already exists; choose another name or add --force to replace it.`);
    throw new ArchiveError(code === 'ENOSPC' ? 'disk-full' : 'file-unreadable', `${file} cannot be written: ${fileProblem(err, true)}.`);
  }
}

let verifyLineShown = false;
/** Verify progress on stderr, on a terminal only: a redirected run prints just the report. */
function verifyProgress(io: Io, p: VerifyProgressEvent): void {
  if (!io.isTTY || p.phase === 'done') return;
  const now = Date.now();
  if (now - lastProgress < 100 && p.done < p.total) return;
  lastProgress = now;
  verifyLineShown = true;
  const share = p.phase === 'files' ? (p.totalBytes > 0 ? Math.floor((100 * p.bytes) / p.totalBytes) : 100) : p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  const amount = p.phase === 'files' ? `${p.done} of ${p.total} files, ${fmt.bytes(p.bytes)} of ${fmt.bytes(p.totalBytes)}` : `${p.done} of ${p.total}`;
  io.err(`${fmt.CLEAR_LINE}verifying ${p.phase} ${share}% (${amount})`);
}

function endVerifyProgress(io: Io): void {
  if (io.isTTY && verifyLineShown) io.err('');
  verifyLineShown = false;
}

let lastBundleLine = '';
let bundleLineShown = false;
/** Bundle progress on stderr: an updating line on a terminal; otherwise a line per phase and every 10%. */
function bundleProgress(io: Io, p: BundleProgressEvent): void {
  const share = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
  const amount = p.phase === 'writing' || p.phase === 'reading' ? `${fmt.bytes(p.done)} of ${fmt.bytes(p.total)}` : `${p.done} of ${p.total}`;
  if (io.isTTY) {
    const now = Date.now();
    if (now - lastProgress < 100 && p.done < p.total) return;
    lastProgress = now;
    bundleLineShown = true;
    io.err(`${fmt.CLEAR_LINE}${p.phase} ${share}% (${amount})`);
    return;
  }
  const line = `${p.phase} ${Math.floor(share / 10) * 10}%`;
  if (line !== lastBundleLine) io.err(line);
  lastBundleLine = line;
}

function endProgress(io: Io): void {
  if (io.isTTY && bundleLineShown) io.err('');
  bundleLineShown = false;
}

let lastProgress = 0;
let lastLine = '';
/** Progress on stderr: one updating line on a terminal; otherwise a line a file, and for a large file every 10%. */
function progress(io: Io, p: ImportProgressEvent): void {
  const percent = p.bytes !== undefined && p.size ? ` ${Math.floor((100 * p.bytes) / p.size)}%` : '';
  if (io.isTTY) {
    const now = Date.now();
    if (now - lastProgress < 100 && p.done < p.total) return;
    lastProgress = now;
    const shown = shownName(p.path);
    const where = shown.length > 64 ? `…${shown.slice(-63)}` : shown;
    io.err(`${fmt.CLEAR_LINE}[${p.done}/${p.total}] ${where}${percent}`);
    return;
  }
  const line = `[${p.done}/${p.total}] ${shownName(p.path)}${percent.replace(/\d(?=%)/, '0')}`;
  if (line !== lastLine) io.err(line);
  lastLine = line;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${fs.realpathSync(process.argv[1])}`).href;
if (isMain) {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', onInterrupt);
  const io: Io = {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.startsWith('\r') ? t : `${t}\n`),
    isTTY: Boolean(process.stderr.isTTY),
    holdingThread: async (work) => {
      // With no listener, Node's default for SIGINT ends the process even in the middle of
      // synchronous work (exit 130).
      process.off('SIGINT', onInterrupt);
      try {
        return await work();
      } finally {
        process.on('SIGINT', onInterrupt);
      }
    },
  };
  process.exitCode = await main(process.argv.slice(2), io, controller.signal);
}
