#!/usr/bin/env node
// `sijil`: the archive from the command line, over the same contract as the app.
// Exit codes: 0 done; 1 the operation failed (one sentence on stderr says why); 2 the command was
// typed wrong; 3 an import finished but skipped some files; 4 a check found a problem;
// 130 interrupted.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import fs from 'node:fs';
import type { Channel, ImportProgressEvent, ResultOf } from '../shared/api.ts';
import type { Item } from '../shared/domain.ts';
import { ArchiveError, toErrorValue } from '../shared/errors.ts';
import { invoke } from './archive/handlers.ts';
import { Archive } from './archive/index.ts';
import { defaultArchiveDir } from './archive/location.ts';
import { hasSample, loadSample } from './archive/sample.ts';
import * as fmt from './cliFormat.ts';

const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3, problem: 4, interrupted: 130 } as const;

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

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
  check                           check the database, search index, files and custody chain
  index check|rebuild             check or rebuild the search index
  info                            where the archive is and what it holds

Options: --json (machine-readable output on every read command), --archive DIR
(default: $SIJIL_ARCHIVE or ${defaultArchiveDir()}), --help, --version.
Item ids may be shortened to their first 6 or more characters.`;

const GLOBAL = { archive: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } as const;

function parse<O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...GLOBAL, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
}

export async function main(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
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
  const open = (dir: string | undefined): Archive => (archive = Archive.open(dir ?? defaultArchiveDir()));
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
    return code === 'cancelled' ? EXIT.interrupted : EXIT.failed;
  } finally {
    archive?.close();
  }
}

async function run(command: string, argv: string[], io: Io, open: (dir: string | undefined) => Archive, signal?: AbortSignal): Promise<number> {
  const print = <T>(json: boolean | undefined, value: T, human: (v: T) => string) => io.out(json ? JSON.stringify(value, null, 2) : human(value));
  const call = <C extends Channel>(archive: Archive, channel: C, args: unknown): Promise<ResultOf<C>> =>
    invoke(archive, channel, args, { signal, progress: (_e, p) => progress(io, p as ImportProgressEvent) });

  switch (command) {
    case 'init': {
      const { values } = parse(argv, { sample: { type: 'boolean' } });
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
      const { values } = parse(argv, {});
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
        kind: values.kind,
      });
      if (io.isTTY) io.err('');
      print(values.json, summary, fmt.importSummary);
      return summary.skipped > 0 ? EXIT.partial : EXIT.ok;
    }
    case 'add': {
      const [what, args] = splitWord(argv);
      if (what === 'note') {
        const { values } = parse(args, {
          title: { type: 'string' },
          text: { type: 'string' },
          file: { type: 'string' },
          language: { type: 'string' },
          tag: { type: 'string', multiple: true },
          collection: { type: 'string', multiple: true },
        });
        if ((values.text === undefined) === (values.file === undefined)) throw new UsageError('add note needs either --text or --file');
        const body = values.file !== undefined ? readTextFile(values.file) : (values.text as string);
        const item = await call(open(values.archive), 'items.addNote', {
          title: values.title ?? '',
          body,
          language: values.language,
          tags: values.tag ?? [],
          collections: values.collection ?? [],
        });
        print(values.json, item, (i) => `Added note ${i.id} "${i.title}".`);
        return EXIT.ok;
      }
      if (what === 'testimony') {
        const { values } = parse(args, {
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
        print(values.json, fmt.hideProtected(item), (i) => `Added testimony ${i.id} "${i.title}".`);
        return EXIT.ok;
      }
      throw new UsageError('add takes "note" or "testimony"');
    }
    case 'list': {
      const { values } = parse(argv, {
        kind: { type: 'string' },
        tag: { type: 'string' },
        collection: { type: 'string' },
        trash: { type: 'boolean' },
        limit: { type: 'string' },
        offset: { type: 'string' },
      });
      const items = await call(open(values.archive), 'items.list', {
        kind: values.kind,
        tag: values.tag,
        collection: values.collection,
        trash: values.trash,
        limit: numberOption(values.limit, 'limit') ?? 100,
        offset: numberOption(values.offset, 'offset') ?? 0,
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
      print(values.json, fmt.hideProtected(item), (i) => `Updated ${i.id} "${i.title}".`);
      return EXIT.ok;
    }
    case 'tag': {
      const { values, positionals } = parse(argv, { remove: { type: 'boolean' } });
      const [id, ...tags] = positionals;
      if (!id || tags.length === 0) throw new UsageError('tag needs an item id and at least one tag');
      const item = await call(open(values.archive), 'items.tag', { id, add: values.remove ? [] : tags, remove: values.remove ? tags : [] });
      print(values.json, fmt.hideProtected(item), (i) => `${i.id} "${i.title}" is tagged: ${i.tags.join(', ') || '(no tags)'}.`);
      return EXIT.ok;
    }
    case 'collection': {
      const { values, positionals } = parse(argv, { remove: { type: 'boolean' } });
      const [id, name, ...extra] = positionals;
      if (!id || !name || extra.length) throw new UsageError('collection needs an item id and one collection name (quote names with spaces)');
      const item = await call(open(values.archive), 'items.collect', { id, collection: name, remove: Boolean(values.remove) });
      print(values.json, fmt.hideProtected(item), (i) => `${i.id} "${i.title}" is in: ${i.collections.join(', ') || '(no collections)'}.`);
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
      const done: Item[] = [];
      for (const id of positionals) done.push(await call(archive, command === 'rm' ? 'items.trash' : 'items.restore', { id }));
      print(values.json, done.map(fmt.hideProtected), (list) =>
        list.map((i) => `${command === 'rm' ? 'Moved to the trash' : 'Restored'}: ${i.id} "${i.title}"`).join('\n') +
        (command === 'rm' ? '\n(sijil restore ID brings an item back.)' : ''),
      );
      return EXIT.ok;
    }
    case 'search': {
      const { values, positionals } = parse(argv, { limit: { type: 'string' } });
      if (positionals.length === 0) throw new UsageError('search needs a query');
      const hits = await call(open(values.archive), 'search.query', { query: positionals.join(' '), limit: numberOption(values.limit, 'limit') ?? 20 });
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
      const { values } = parse(argv, {});
      const labels = await call(open(values.archive), command === 'tags' ? 'labels.tags' : 'labels.collections', {});
      print(values.json, labels, fmt.labels);
      return EXIT.ok;
    }
    case 'check': {
      const { values } = parse(argv, {});
      const report = await call(open(values.archive), 'archive.check', {});
      print(values.json, report, fmt.check);
      return report.ok ? EXIT.ok : EXIT.problem;
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
    default:
      throw new UsageError(`"${command}" is not a command`);
  }
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

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} takes a whole number, not "${value}"`);
  return Number(value);
}

function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ArchiveError('file-unreadable', `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
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
    const where = p.path.length > 64 ? `…${p.path.slice(-63)}` : p.path;
    io.err(`\r\x1b[2K[${p.done}/${p.total}] ${where}${percent}`);
    return;
  }
  const line = `[${p.done}/${p.total}] ${p.path}${percent.replace(/\d(?=%)/, '0')}`;
  if (line !== lastLine) io.err(line);
  lastLine = line;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${fs.realpathSync(process.argv[1])}`).href;
if (isMain) {
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  });
  const io: Io = {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.startsWith('\r') ? t : `${t}\n`),
    isTTY: Boolean(process.stderr.isTTY),
  };
  process.exitCode = await main(process.argv.slice(2), io, controller.signal);
}
