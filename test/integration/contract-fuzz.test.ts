// Inputs at every door (issue 8): every channel of the contract (CHANNELS, so a new channel is
// covered the day it is added) gets random, mistyped and oversized arguments through the three
// doors onto the engine: `invoke` (electron/archive/handlers.ts, as the CLI calls it), the desktop
// door's dispatch (electron/ipcDispatch.ts, onto the engine's worker) and browser mode's HTTP
// door (electron/server.ts). Each call either succeeds or is answered { code, message } with a
// code a person's screen knows, never `internal`, never a stack, never a dead engine; each archive
// passes its check afterwards. Then SQL-looking text in every string that reaches the database.
//
// Deterministic: a fixed seed and a bounded number of runs per channel. The generators know the
// contract's shape (zod's definitions), so many calls get past validation and reach the engine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CHANNELS, contract, type Channel } from '../../shared/api.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { Archive } from '../../electron/archive/index.ts';
import { invoke } from '../../electron/archive/handlers.ts';
import { CallRegistry } from '../../electron/calls.ts';
import { EngineHost, toWireError } from '../../electron/engineHost.ts';
import { dispatch, type Envelope } from '../../electron/ipcDispatch.ts';
import { startServer, type SijilServer } from '../../electron/server.ts';
import { tmpDir, writeFile } from '../support/tmp.ts';

const SEED = 20_261_125;
const RUNS = 20;
// Channels whose valid calls do seconds of real work (scrypt, hashing, bundles): fewer runs.
const FEWER_RUNS: Partial<Record<Channel, number>> = {
  'keys.create': 6,
  'keys.check': 6,
  'bundle.export': 6,
  'bundle.inspect': 8,
  'bundle.import': 8,
  'archive.loadSample': 3,
  'archive.verify': 10,
};
// Codes a call may answer with; `internal` (an unexpected error) and `engine-stopped` (a crash)
// are what this test exists to rule out.
const EXPECTED_CODES = new Set<string>(ERROR_CODES.filter((c) => c !== 'internal' && c !== 'engine-stopped'));
const MAX_MESSAGE = 2000;
const DEPTH = 5000;

// Fields that name files (FilePath in shared/api.ts, known by its message for an empty string):
// random text there would name files anywhere on this machine ("/" is a likely string), so their
// values are confined to a sandbox folder. Fields that name items draw, now and then, the id of an
// item that exists, so calls get past "not found" into the engine's own checks.
const FILE_PATH_MAX = 4096;
const ID_KEYS = new Set(['id', 'from', 'to', 'ids', 'items']);
const knownIds: string[] = [];

const root = tmpDir('sijil-fuzz-');
const sandbox = path.join(root, 'files');
// The process's working folder during the test: empty, two levels below folders that hold only it,
// so a relative path that slips through resolves to nothing worth importing.
const cwd = path.join(root, 'cwd', 'a', 'b');
fs.mkdirSync(cwd, { recursive: true });
writeFile(sandbox, 'note.txt', 'A field note, Nasiriyah, 2019.\n');
writeFile(sandbox, 'not-a-bundle.sijil', 'plain text, not age\n');
const rendererDir = path.join(root, 'renderer');
writeFile(rendererDir, 'index.html', '<!doctype html><title>Sijil</title>');

// ---------------------------------------------------------------------------------------------
// Generators

const SQL_PAYLOADS = [
  "'; DROP TABLE items; --",
  "Robert'); DROP TABLE custody_events;--",
  '" OR "1"="1',
  "' OR 1=1 --",
  "%' OR '1'='1",
  "1; ATTACH DATABASE 'pwned.db' AS pwned; --",
  "x' UNION SELECT name, sql FROM sqlite_schema --",
  'title:* OR body:NEAR(a b) ^ "unclosed',
  "_%\\'",
  "a\u0000'; DELETE FROM items; --",
  "أمّ سجّاد'); DROP TABLE tags; --",
] as const;

const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(...SQL_PAYLOADS, '', ' ', '\u0000', '__proto__', 'constructor', 'toString', 'أمّ سجّاد', '01HXYZ', '\u202Eevil'),
);
// Past every limit in the contract: names (200), ids (64), queries (10,000), paths (4,096), notes
// (100,000 for a description); a note's body may be 50 million characters, so a megabyte passes.
const oversized = fc.constantFrom(65, 201, 2001, 4097, 10_001, 100_001, 1_000_001).map((n) => 'x'.repeat(n));
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 1, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 0.5),
);
const jsonLeaf = fc.oneof(text, oversized, number, fc.boolean(), fc.constant(null));
// What only the in-process and IPC doors can carry (JSON has no such values; structured clone does).
const cloneLeaf = fc.oneof(
  fc.constantFrom(undefined, Number.NaN, Infinity, -Infinity, 10n, new Date(0), new Map([['a', 1]]), new Set([1]), new Uint8Array([1, 2]), [,]),
  fc.bigInt(),
);

function anyValue(leaf: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('v'), { maxLength: 4 }),
      fc.dictionary(text, tie('v'), { maxKeys: 4 }),
    ),
  })).v;
}

type Schema = z.ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  element?: Schema;
  shape?: Record<string, Schema>;
  options?: Schema[];
  valueType?: Schema;
  entries?: Record<string, string>;
}
const defOf = (s: Schema) => (s as unknown as { _zod: { def: Def } })._zod.def;
function unwrap(s: Schema): Schema {
  let t = s;
  while (defOf(t).innerType) t = defOf(t).innerType!;
  return t;
}

function isFilePath(s: Schema): boolean {
  const t = unwrap(s);
  return defOf(t).type === 'string' && t.safeParse('').error?.issues[0]?.message === 'schema.filePathRequired';
}

const sandboxPath = fc.oneof(
  fc.constantFrom('note.txt', 'not-a-bundle.sijil', '', 'missing.txt', 'sub/../note.txt').map((name) => path.join(sandbox, name)),
  text.map((name) => path.join(sandbox, name.replace(/[/\\]/g, '_').slice(0, 200) || 'empty')),
  oversized,
);

/** Confines every string in a path field to the sandbox (oversized ones stay: validation refuses them). */
function confine(value: unknown): unknown {
  if (typeof value === 'string') return value.length > FILE_PATH_MAX ? value : path.join(sandbox, value.replace(/[/\\]/g, '_').slice(0, 200) || 'empty');
  if (Array.isArray(value)) return value.map(confine);
  return value;
}

/**
 * Values shaped like what `schema` asks for (right keys, right types, plausible sizes) or, half the
 * time at each level, anything at all: past validation often enough to reach the engine, wrong
 * often enough to exercise every refusal.
 */
function shaped(schema: Schema, leaf: fc.Arbitrary<unknown>, key = ''): fc.Arbitrary<unknown> {
  const anything = anyValue(leaf);
  const t = unwrap(schema);
  const def = defOf(t);
  let plausible: fc.Arbitrary<unknown>;
  switch (def.type) {
    case 'string':
      plausible = isFilePath(t) ? sandboxPath : ID_KEYS.has(key) && knownIds.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...knownIds) }, { weight: 1, arbitrary: text }, { weight: 1, arbitrary: oversized }) : fc.oneof(text, oversized);
      break;
    case 'number':
      plausible = fc.oneof(fc.integer({ min: -2, max: 200_000 }), number);
      break;
    case 'boolean':
      plausible = fc.boolean();
      break;
    case 'null':
      plausible = fc.constant(null);
      break;
    case 'enum':
      plausible = fc.constantFrom(...Object.values(def.entries ?? {}));
      break;
    case 'array':
      plausible = fc.oneof(fc.array(shaped(def.element!, leaf, key), { maxLength: 3 }), fc.constantFrom(100_001, 10_001).map((n) => Array.from({ length: n }, (_, i) => `a${i}`)));
      break;
    case 'record':
      plausible = fc.dictionary(fc.oneof(text, fc.constantFrom('title', 'place', 'description', 'eventDate', 'sensitivity', 'id', 'deletedAt')), shaped(def.valueType!, leaf), { maxKeys: 4 });
      break;
    case 'union':
      plausible = fc.oneof(...def.options!.map((o) => shaped(o, leaf, key)));
      break;
    case 'object': {
      const keys = Object.keys(def.shape ?? {});
      plausible = fc
        .tuple(
          // Usually every key (required ones included), otherwise any subset; rarely a key too many.
          fc.oneof({ weight: 2, arbitrary: fc.constant(keys) }, { weight: 1, arbitrary: fc.subarray(keys) }),
          fc.oneof({ weight: 5, arbitrary: fc.constant([] as [string, unknown][]) }, { weight: 1, arbitrary: fc.array(fc.tuple(text, anything), { minLength: 1, maxLength: 1 }) }),
        )
        .chain(([chosen, extra]) =>
          fc.tuple(...chosen.map((k) => shaped(def.shape![k]!, leaf, k))).map((values) => {
            const out: Record<string, unknown> = {};
            chosen.forEach((k, i) => (out[k] = values[i]));
            // Now and then a key the schema does not have (strict objects refuse it).
            for (const [k, v] of extra) Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
            return out;
          }),
        );
      break;
    }
    default:
      plausible = anything;
  }
  const value = fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: anything });
  // The "anything" branch too: a path field, or a list of them, never holds text from outside the sandbox.
  const pathField = isFilePath(t) || (def.type === 'array' && isFilePath(def.element!));
  return pathField ? value.map(confine) : value;
}

/** Arguments for `channel`: mostly shaped like its schema, sometimes not an object at all. */
function argsFor(channel: Channel, leaf: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: shaped(contract[channel].args as unknown as Schema, leaf) }, { weight: 1, arbitrary: anyValue(leaf) });
}

/** Every key path of the contract whose value is a FilePath (known by its own message for ''). */
function filePathFields(): string[] {
  const found: string[] = [];
  const walk = (s: Schema, at: string) => {
    const t = unwrap(s);
    const def = defOf(t);
    if (isFilePath(t)) found.push(at);
    if (def.type === 'array') walk(def.element!, at);
    if (def.type === 'object') for (const [k, v] of Object.entries(def.shape ?? {})) walk(v, `${at}.${k}`);
    if (def.type === 'union') def.options!.forEach((o) => walk(o, at));
    if (def.type === 'record') walk(def.valueType!, `${at}.*`);
  };
  for (const channel of CHANNELS) walk(contract[channel].args as unknown as Schema, channel);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The three doors, each onto its own archive

type Outcome = Envelope & { status?: number };
interface Door {
  readonly name: string;
  readonly leaf: fc.Arbitrary<unknown>;
  /** `rawBody`: what the HTTP door sends instead of JSON.stringify({ args }) (which cannot write very deep values). */
  call(channel: Channel, args: unknown, rawBody?: string): Promise<Outcome>;
  check(): Promise<{ ok: boolean }>;
}

let inProcess: Archive;
let host: EngineHost;
let srv: SijilServer;
let cookie: string;
const calls = new CallRegistry();
const originalCwd = process.cwd();

function post(target: string, body: string | Buffer): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: srv.port,
        method: 'POST',
        path: target,
        agent: false,
        headers: { Host: `127.0.0.1:${srv.port}`, Cookie: cookie, 'X-Sijil': '1', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const doors: Door[] = [
  {
    name: 'engine invoke',
    leaf: fc.oneof({ weight: 4, arbitrary: jsonLeaf }, { weight: 1, arbitrary: cloneLeaf }),
    async call(channel, args) {
      try {
        return { ok: true, value: await invoke(inProcess, channel, args) };
      } catch (err) {
        return { ok: false, error: toWireError(err) };
      }
    },
    async check() {
      return inProcess.check();
    },
  },
  {
    name: 'IPC dispatch',
    leaf: fc.oneof({ weight: 4, arbitrary: jsonLeaf }, { weight: 1, arbitrary: cloneLeaf }),
    call: (channel, args) => dispatch(host, calls, { channel, args, callId: undefined }, () => undefined),
    async check() {
      return (await host.invoke('archive.check', {})) as { ok: boolean };
    },
  },
  {
    name: 'HTTP',
    leaf: jsonLeaf,
    async call(channel, args, rawBody) {
      const reply = await post(`/api/${channel}`, rawBody ?? JSON.stringify({ args }));
      const body = JSON.parse(reply.text) as Envelope;
      return { ...body, status: reply.status };
    },
    async check() {
      return (await srv.engine.invoke('archive.check', {})) as { ok: boolean };
    },
  },
];

beforeAll(async () => {
  process.chdir(cwd);
  inProcess = Archive.open(path.join(root, 'archive-invoke'));
  host = await EngineHost.start(path.join(root, 'archive-ipc'), { log: () => undefined });
  srv = await startServer({ archiveDir: path.join(root, 'archive-http'), rendererDir, port: 0, log: () => undefined, maxJsonBytes: 8 << 20 });
  cookie = `sijil-${srv.port}=${srv.token}`;
  // A few items in each archive, whose ids the generators draw for id fields.
  for (const door of doors) {
    for (const title of ['Witness statement', 'شهادة']) {
      const made = await door.call('items.addNote', { title, body: `${title} body` });
      if (!made.ok) throw new Error(made.error.message);
      knownIds.push((made.value as { id: string }).id);
    }
  }
});

afterAll(async () => {
  process.chdir(originalCwd);
  inProcess?.close();
  await host?.close();
  await srv?.close();
});

// What each door answered, to show the generators get past validation as well as into it.
const tally = new Map<string, Map<string, number>>();
function count(door: string, outcome: Outcome): void {
  const key = outcome.ok ? 'ok' : outcome.error.code;
  const byDoor = tally.get(door) ?? new Map<string, number>();
  byDoor.set(key, (byDoor.get(key) ?? 0) + 1);
  tally.set(door, byDoor);
}

function expectClearOutcome(outcome: Outcome, what: string): void {
  if (outcome.ok) {
    if (outcome.status !== undefined) expect(outcome.status, what).toBe(200);
    return;
  }
  const { code, message } = outcome.error;
  expect(EXPECTED_CODES.has(code), `${what}: code ${code}: ${message}`).toBe(true);
  expect(typeof message, what).toBe('string');
  expect(message.length, `${what}: ${message.slice(0, 200)}`).toBeGreaterThan(0);
  expect(message.length, `${what}: a message of ${message.length} characters`).toBeLessThanOrEqual(MAX_MESSAGE);
  expect(message, what).not.toMatch(/\n\s+at |\.ts:\d+:\d+/);
  if (outcome.status !== undefined) expect(outcome.status, `${what}: ${code}`).toBeGreaterThanOrEqual(400);
  if (outcome.status !== undefined) expect(outcome.status, `${what}: ${code}`).toBeLessThan(500);
}

function describeArgs(args: unknown): string {
  try {
    const s = JSON.stringify(args, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' && v.length > 80 ? `<${v.length} chars>` : v));
    return (s ?? String(args)).slice(0, 300);
  } catch {
    return String(args).slice(0, 300);
  }
}

describe('the generators cover the contract', () => {
  it('would fail on an unexpected error, a stack or a server error', () => {
    expect(() => expectClearOutcome({ ok: false, error: toWireError(new TypeError('x is undefined')) }, 'internal')).toThrow();
    expect(() => expectClearOutcome({ ok: false, error: { code: 'not-found', message: 'Error: x\n    at f (/a/b.ts:1:2)' } }, 'stack')).toThrow();
    expect(() => expectClearOutcome({ ok: false, error: { code: 'not-found', message: '' } }, 'empty')).toThrow();
    expect(() => expectClearOutcome({ ok: false, error: { code: 'invalid-argument', message: 'x' }, status: 500 }, 'status')).toThrow();
    expect(() => expectClearOutcome({ ok: false, error: { code: 'invalid-argument', message: 'title: at most 2,000 characters.' }, status: 400 }, 'fine')).not.toThrow();
  });

  it('finds the contract’s file path fields, so each is confined to the sandbox', () => {
    expect(filePathFields()).toEqual(
      expect.arrayContaining(['import.paths.paths', 'items.addTestimony.recording', 'items.addTestimony.transcripts.path', 'bundle.export.to', 'bundle.inspect.path', 'bundle.import.path']),
    );
  });
});

describe.each(doors)('random and oversized arguments through $name', (door) => {
  it.each(CHANNELS)('%s', async (channel) => {
    await fc.assert(
      fc.asyncProperty(argsFor(channel, door.leaf), async (args) => {
        const outcome = await door.call(channel, args);
        count(door.name, outcome);
        expectClearOutcome(outcome, `${door.name} ${channel} ${describeArgs(args)}`);
      }),
      { seed: SEED, numRuns: FEWER_RUNS[channel] ?? RUNS, endOnFailure: true },
    );
    // And the arguments no generator is likely to draw: every key at once far past its limit.
    const keys = Object.keys(defOf(contract[channel].args as unknown as Schema).shape ?? {});
    for (const huge of ['x'.repeat(1_000_001), Array.from({ length: 100_001 }, () => 'a')]) {
      const args = Object.fromEntries(keys.map((k) => [k, huge]));
      const outcome = await door.call(channel, args);
      expectClearOutcome(outcome, `${door.name} ${channel} every key ${typeof huge === 'string' ? 'a 1 MB string' : 'a list of 100,001'}`);
      if (keys.length > 0) expect(outcome.ok, `${channel} with every key oversized`).toBe(false);
    }
    let deep: unknown = 'x';
    for (let i = 0; i < DEPTH; i++) deep = { a: deep };
    const deepJson = `{"args":${'{"a":'.repeat(DEPTH)}"x"${'}'.repeat(DEPTH)}}`;
    const deepOutcome = await door.call(channel, deep, deepJson);
    expectClearOutcome(deepOutcome, `${door.name} ${channel} ${DEPTH} levels deep`);
    // Refused by the contract at the door, not by a failure to copy it to the engine's thread.
    expect(deepOutcome.ok ? null : deepOutcome.error).toMatchObject({ code: 'invalid-argument', message: expect.not.stringMatching(/cannot be sent/) });
  });

  it('leaves an archive that passes its check, and an engine that still answers', async () => {
    const result = await door.check();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expectClearOutcome(await door.call('archive.info', {}), `${door.name} archive.info`);
    // Enough random calls were valid to reach the engine's own work, and enough were refused.
    const answers = tally.get(door.name) ?? new Map<string, number>();
    expect(answers.get('ok') ?? 0).toBeGreaterThan(100);
    expect(answers.get('invalid-argument') ?? 0).toBeGreaterThan(300);
    process.stdout.write(`${door.name}: ${JSON.stringify(Object.fromEntries(answers))}\n`);
  });
});

describe('what only one door sees', () => {
  it('IPC: random channel names and call ids are refused before the engine', async () => {
    await fc.assert(
      fc.asyncProperty(anyValue(fc.oneof(jsonLeaf, cloneLeaf)), anyValue(fc.oneof(jsonLeaf, cloneLeaf)), async (channel, callId) => {
        const outcome = await dispatch(host, calls, { channel, args: {}, callId }, () => undefined);
        if (typeof channel === 'string' && (CHANNELS as string[]).includes(channel)) return;
        expect(outcome.ok).toBe(false);
        expectClearOutcome(outcome, `channel ${describeArgs(channel)}`);
      }),
      { seed: SEED, numRuns: 200, endOnFailure: true },
    );
  });

  it('HTTP: bodies that are not JSON, not a call, or too large', async () => {
    const bodies: (string | Buffer)[] = [
      '',
      'null',
      '[]',
      '"args"',
      '{"args":',
      '{"args":{}, "callId": 5}',
      '{"__proto__": {"args": {"id": "x"}}}',
      Buffer.from([0xff, 0xfe, 0x00, 0x7b]),
      `{"args": {"query": "${'x'.repeat(9 << 20)}"}}`,
    ];
    for (const body of bodies) {
      const reply = await post('/api/search.query', body);
      const parsed = JSON.parse(reply.text) as Envelope;
      expectClearOutcome({ ...parsed, status: reply.status }, `body ${String(body).slice(0, 40)}`);
    }
    const tooLarge = await post('/api/items.addNote', `{"args": {"title": "t", "body": "${'x'.repeat(9 << 20)}"}}`);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.text)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/at most \d+ bytes/) } });
  });
});

// ---------------------------------------------------------------------------------------------
// SQL: every string a channel takes that reaches the database, set to SQL-looking text.

interface Ctx {
  readonly noteId: string;
  readonly otherId: string;
  readonly recipient: string;
  readonly n: number;
}

/**
 * For each channel, calls that carry `p` in every string field it stores or looks up in SQL.
 * null: the channel takes no text that reaches SQL (no arguments, numbers and enums only, or text
 * that goes to files and crypto: passphrases, recipients, paths). A channel missing here fails
 * the test, so a new channel must say which it is.
 */
const SQL_CALLS: Record<Channel, ((p: string, c: Ctx) => unknown[]) | null> = {
  'archive.info': null,
  'archive.choose': null,
  'archive.check': null,
  'archive.loadSample': null,
  'items.list': (p) => [{ tag: p }, { collection: p }, { tag: p, collection: p, sort: 'title' }],
  'items.count': (p) => [{ tag: p }, { collection: p }],
  'items.among': (p, c) => [{ ids: [c.noteId, c.otherId], tag: p }, { ids: [c.noteId], collection: p }],
  'items.get': (p) => [{ id: p.slice(0, 64) }],
  'items.edit': (p, c) => [
    { id: c.noteId, set: { title: p, description: p, place: p } },
    { id: c.noteId, set: { language: p.slice(0, 35) } },
    { id: c.noteId, set: { [p.slice(0, 64)]: p } },
    { id: p.slice(0, 64), set: { title: p } },
  ],
  'items.tag': (p, c) => [{ id: c.noteId, add: [p] }, { id: c.noteId, remove: [p] }],
  'items.collect': (p, c) => [{ id: c.noteId, collection: p }, { id: c.noteId, collection: p, remove: true }],
  'items.link': (p, c) => [
    { from: c.noteId, to: c.otherId, relation: p },
    { from: c.noteId, to: c.otherId, relation: p, remove: true },
    { from: p.slice(0, 64), to: c.otherId },
  ],
  'items.trash': (p) => [{ id: p.slice(0, 64) }],
  'items.restore': (p) => [{ id: p.slice(0, 64) }],
  'items.bulk': (p, c) => [
    { ids: [c.noteId, c.otherId], action: 'tag', name: p },
    { ids: [c.noteId], action: 'collect', name: p },
    { ids: [c.otherId, p.slice(0, 64)], action: 'trash' },
  ],
  'items.history': (p) => [{ id: p.slice(0, 64) }],
  'items.history.received': (p) => [{ id: p.slice(0, 64) }],
  'labels.remove': (p) => [{ kind: 'tag', name: p }, { kind: 'collection', name: p }],
  'labels.describe': (p) => [{ name: p, description: 'x' }],
  'labels.rename': (p) => [{ kind: 'tag', name: p, to: 'x' }, { kind: 'collection', name: 'x', to: p }],
  'items.addNote': (p) => [{ title: p, body: p, tags: [p], collections: [p] }, { title: 'x', body: 'x', language: p.slice(0, 35) }],
  'items.addTestimony': (p) => [
    {
      title: p,
      speakerAlias: p,
      speakerName: p,
      speakerContact: p,
      relationToCase: p,
      interviewer: p,
      consent: p,
      protectedNotes: p,
      place: p,
      description: p,
      tags: [p],
      collections: [p],
    },
  ],
  'labels.tags': null,
  'labels.collections': null,
  'import.paths': (p, c) => {
    const file = path.join(sandbox, `sql-${c.n}.txt`);
    fs.writeFileSync(file, `Imported with the payload ${c.n}: ${p}\n`);
    return [{ paths: [file], tags: [p], collections: [p] }];
  },
  'search.query': (p) => [{ query: p }, { query: p, cursor: p }],
  'search.quick': (p) => [{ query: p.slice(0, 500) }],
  'index.check': null,
  'index.rebuild': null,
  'keys.status': null,
  'keys.create': null,
  'keys.check': null,
  'keys.recipients.list': null,
  'keys.recipients.add': null,
  'keys.recipients.remove': null,
  'calls.cancel': null,
  'bundle.export': (p, c) => [
    { selection: { collection: p }, to: path.join(sandbox, `sql-${c.n}-a.sijil`), credentials: { recipients: [c.recipient] } },
    { selection: { query: p }, to: path.join(sandbox, `sql-${c.n}-b.sijil`), credentials: { recipients: [c.recipient] }, organization: p },
    { selection: { ids: [p.slice(0, 64)] }, to: path.join(sandbox, `sql-${c.n}-c.sijil`), credentials: { recipients: [c.recipient] } },
  ],
  'bundle.inspect': null,
  'bundle.import': null,
  'conflicts.list': null,
  'conflicts.resolve': null,
  'archive.verify': (p) => [{ items: [p.slice(0, 64)] }],
  'verify.status': null,
  'verify.schedule': null,
  'items.custodyReport': (p) => [{ id: p.slice(0, 64) }],
};

describe('SQL-looking text in every string field', () => {
  let archive: Archive;
  let ctx: Omit<Ctx, 'n'>;
  const schemaOf = (a: Archive) => (a.db.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY type, name').all() as unknown[]).map((r) => JSON.stringify(r));

  beforeAll(() => {
    archive = Archive.open(path.join(root, 'archive-sql'));
    const note = archive.create({ kind: 'note', fields: { title: 'Witness list', body: 'names', language: 'en' }, tags: ['nasiriyah'], collections: ['case 1'] });
    const other = archive.create({ kind: 'note', fields: { title: 'Second note', body: 'more', language: 'en' }, tags: [], collections: [] });
    const keygen = execFileSync('age-keygen', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const recipient = /public key: (age1[0-9a-z]+)/i.exec(keygen)?.[1];
    if (!recipient) throw new Error(`age-keygen printed no public key: ${keygen.slice(0, 200)}`);
    ctx = { noteId: note.id, otherId: other.id, recipient };
  });
  afterAll(() => archive?.close());

  it('names every channel', () => {
    expect(Object.keys(SQL_CALLS).sort()).toEqual([...CHANNELS].sort());
  });

  it('is stored and looked up as data: the schema, the check and the stored text all hold', async () => {
    const schemaBefore = schemaOf(archive);
    const itemsBefore = archive.count().items;
    let created = 0;
    let n = 0;
    for (const payload of SQL_PAYLOADS) {
      for (const [channel, make] of Object.entries(SQL_CALLS) as [Channel, SQL_CALLS_Fn][]) {
        if (!make) continue;
        for (const args of make(payload, { ...ctx, n: n++ })) {
          let outcome: Outcome;
          try {
            const value = await invoke(archive, channel, args);
            outcome = { ok: true, value };
          } catch (err) {
            outcome = { ok: false, error: toWireError(err) };
          }
          expectClearOutcome(outcome, `${channel} ${describeArgs(args)}`);
          const storesPayload = (channel === 'items.addNote' || channel === 'items.addTestimony') && (args as { title: string }).title === payload;
          if (!outcome.ok && storesPayload) throw new Error(`${channel} refused ${payload}: ${outcome.error.message}`);
          if (outcome.ok && storesPayload) {
            created++;
            const item = archive.get((outcome.value as { id: string }).id);
            // Stored exactly as given (titles are trimmed by the contract): nothing was cut at a quote.
            expect(item.title).toBe(payload.trim());
            expect(item.tags).toContain(payload.trim());
          }
        }
      }
      expect(schemaOf(archive), payload).toEqual(schemaBefore);
    }
    expect(archive.count().items).toBeGreaterThanOrEqual(itemsBefore + created);
    expect(archive.check().ok).toBe(true);
    // ATTACH would have made this file beside the working folder or the archive.
    for (const dir of [cwd, archive.dir, root]) expect(fs.existsSync(path.join(dir, 'pwned.db')), dir).toBe(false);
    // And each payload finds the note that carries it, as text.
    const hits = archive.search(`"${'Robert'}"`, 20, null);
    expect(hits.total).toBeGreaterThan(0);
  });
});

type SQL_CALLS_Fn = (p: string, c: Ctx) => unknown[];
