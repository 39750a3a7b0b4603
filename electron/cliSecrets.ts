// Secrets for the command line: passphrases and identity files. A passphrase is typed at a
// terminal prompt that does not echo it, or read from the first line of --passphrase-file; never
// taken from the command line itself, where other users (ps, /proc) and the shell's history see it.
import fsp from 'node:fs/promises';
import { ArchiveError } from '../shared/errors.ts';
import { AgeError, decrypt, parseIdentityFile } from './archive/bundle/age/index.ts';

/** Why a file given on the command line could not be read or written, in words (the code where there are none). */
export function fileProblem(err: unknown, writing = false): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return writing ? 'its folder does not exist' : 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return code ?? (err as Error).message;
  }
}

/** The option every command that takes a passphrase adds to its parseArgs options. */
export const PASSPHRASE_FILE_OPTION = { 'passphrase-file': { type: 'string' } } as const;

/** What the prompt needs of stdin: a terminal it can put in raw mode (process.stdin is one, on a terminal). */
export interface SecretInput {
  readonly isTTY?: boolean;
  isRaw?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface SecretOutput {
  write(text: string): unknown;
}

export interface ReadPassphraseOptions {
  /** --passphrase-file: the passphrase is this file's first line (its line ending removed). */
  readonly file?: string;
  /** What is asked for, e.g. "Passphrase for the bundle"; ": " is added. */
  readonly prompt: string;
  /** Ask twice and insist both agree: for a passphrase being set, not one being used. */
  readonly confirm?: boolean;
  /** Throws (an ArchiveError with a message) to refuse a passphrase; at a terminal, the person may try again. */
  readonly validate?: (passphrase: string) => void;
  /** Default process.stdin and process.stderr (stdout stays for the command's output). */
  readonly input?: SecretInput;
  readonly output?: SecretOutput;
  /** Aborting (the CLI's Ctrl-C before the prompt took the terminal) cancels the prompt. */
  readonly signal?: AbortSignal;
}

const MAX_TRIES = 3;
const MAX_FILE_LINE = 64 * 1024;

/**
 * A passphrase from --passphrase-file if given, else typed at the terminal without echo (twice if
 * `confirm`). Throws ArchiveError 'invalid-argument' when there is neither file nor terminal,
 * 'cancelled' on Ctrl-C or Ctrl-D.
 */
export async function readPassphrase(options: ReadPassphraseOptions): Promise<string> {
  if (options.file !== undefined) {
    const passphrase = await readPassphraseFile(options.file);
    options.validate?.(passphrase);
    return passphrase;
  }
  const input = options.input ?? (process.stdin as SecretInput);
  const output = options.output ?? process.stderr;
  if (!input.isTTY || typeof input.setRawMode !== 'function') {
    throw new ArchiveError(
      'invalid-argument',
      `${options.prompt} is needed, and there is no terminal to type it at: give --passphrase-file FILE (the passphrase on its first line). Sijil never takes a passphrase on the command line, where other users and the shell history could see it.`,
    );
  }
  if (options.signal?.aborted) throw cancelled();
  const terminal = new HiddenLineReader(input, output, options.signal);
  try {
    return await promptUntilAccepted(terminal, output, options);
  } finally {
    terminal.close();
  }
}

async function promptUntilAccepted(terminal: HiddenLineReader, output: SecretOutput, options: ReadPassphraseOptions): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const last = attempt === MAX_TRIES;
    const passphrase = await terminal.read(options.prompt);
    try {
      if (passphrase === '') throw new ArchiveError('invalid-argument', 'No passphrase was typed.');
      options.validate?.(passphrase);
      if (options.confirm && (await terminal.read(`${options.prompt} (again, to confirm)`)) !== passphrase) {
        throw new ArchiveError('invalid-argument', 'The two passphrases differ.');
      }
      return passphrase;
    } catch (err) {
      if (last || !(err instanceof ArchiveError) || err.code !== 'invalid-argument') throw err;
      output.write(`${err.message} Try again.\n`);
    }
  }
}

/** The first line of a file, its line ending and a leading byte-order mark removed. */
export async function readPassphraseFile(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFirstLine(file);
  } catch (err) {
    throw new ArchiveError('file-unreadable', `The passphrase file ${file} cannot be read: ${fileProblem(err)}.`, { cause: err });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ArchiveError('invalid-argument', `The passphrase file ${file} is not UTF-8 text.`);
  }
  const line = text.replace(/^\uFEFF/, '').split('\n')[0]?.replace(/\r$/, '') ?? '';
  if (line === '') throw new ArchiveError('invalid-argument', `The passphrase file ${file} is empty: put the passphrase on its first line.`);
  return line;
}

/** Reads up to the first newline (or 64 KiB), so a pipe or a device never makes it read forever. */
async function readFirstLine(file: string): Promise<Buffer> {
  const handle = await fsp.open(file, 'r');
  try {
    const parts: Buffer[] = [];
    let total = 0;
    while (total < MAX_FILE_LINE) {
      const { bytesRead, buffer } = await handle.read(Buffer.alloc(4096), 0, 4096, null);
      if (bytesRead === 0) break;
      const piece = buffer.subarray(0, bytesRead);
      parts.push(piece);
      total += bytesRead;
      if (piece.includes(0x0a)) break;
    }
    return Buffer.concat(parts);
  } finally {
    await handle.close();
  }
}

export interface ReadIdentityOptions {
  /** For an identity file that is itself passphrase-protected (as `age -p` makes, or keys/identity.age). */
  readonly passphraseFile?: string;
  readonly input?: SecretInput;
  readonly output?: SecretOutput;
  readonly signal?: AbortSignal;
}

/**
 * The secret keys in an identity file, as age-keygen writes it; if the file is passphrase-
 * protected (age-encrypted, as `age -d -i` accepts too), asks for its passphrase and opens it.
 */
export async function readIdentityFile(file: string, options: ReadIdentityOptions = {}): Promise<string[]> {
  let bytes: Buffer;
  try {
    const handle = await fsp.open(file, 'r');
    try {
      const stat = await handle.stat();
      if (stat.isFile() && stat.size > 1024 * 1024) throw new ArchiveError('invalid-argument', `${file} is too large to be an identity file.`);
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError('file-unreadable', `The identity file ${file} cannot be read: ${fileProblem(err)}.`, { cause: err });
  }
  let text: string;
  if (isAgeFile(bytes)) {
    const passphrase = await readPassphrase({ file: options.passphraseFile, prompt: `Passphrase for ${file}`,
      input: options.input,
      output: options.output,
      signal: options.signal,
    });
    try {
      text = (await decrypt(bytes, { passphrase })).toString('utf8');
    } catch (err) {
      if (err instanceof AgeError && err.code === 'wrong-passphrase') {
        throw new ArchiveError('wrong-passphrase', `The passphrase is wrong: it does not open the identity file ${file}.`);
      }
      throw new ArchiveError('invalid-argument', `The identity file ${file} cannot be opened: ${(err as Error).message}`, { cause: err });
    }
  } else {
    text = bytes.toString('utf8');
  }
  try {
    return parseIdentityFile(text);
  } catch (err) {
    throw new ArchiveError('invalid-argument', `${file} is not an age identity file: ${(err as Error).message}`, { cause: err });
  }
}

function cancelled(): ArchiveError {
  return new ArchiveError('cancelled', 'Cancelled.');
}

function isAgeFile(bytes: Buffer): boolean {
  const start = bytes.subarray(0, 64).toString('latin1').trimStart();
  return start.startsWith('age-encryption.org/') || start.startsWith('-----BEGIN AGE ENCRYPTED FILE-----');
}

/**
 * Lines typed at a terminal in raw mode, shown as nothing at all (as age and sudo do: not even
 * stars, which would tell an onlooker the length). Keeps what was typed ahead, so a passphrase
 * pasted twice with its newline answers both prompts.
 */
class HiddenLineReader {
  private pending = '';
  private wasRaw: boolean | undefined;

  private readonly input: SecretInput;
  private readonly output: SecretOutput;
  private readonly signal: AbortSignal | undefined;

  constructor(input: SecretInput, output: SecretOutput, signal?: AbortSignal) {
    this.input = input;
    this.output = output;
    this.signal = signal;
  }

  read(prompt: string): Promise<string> {
    const { input, output } = this;
    // Raw (no echo) before the prompt shows, so an answer typed the moment it appears never echoes,
    // and from the first prompt until close(), so nothing typed between two prompts does either.
    if (this.wasRaw === undefined) {
      this.wasRaw = input.isRaw ?? false;
      input.setRawMode?.(true);
      input.setEncoding('utf8');
    }
    output.write(`${prompt}: `);
    return new Promise((resolve, reject) => {
      let line = '';
      let escape: 'none' | 'esc' | 'csi' = 'none';
      const done = (error: Error | null): void => {
        input.off('data', onData);
        input.off('end', onEnd);
        this.signal?.removeEventListener('abort', onAbort);
        // Paused, not left flowing: what is typed before the next prompt waits in the stream.
        input.pause();
        output.write('\n');
        if (error) reject(error);
        else resolve(line);
      };
      const consume = (text: string): boolean => {
        const chars = [...text];
        for (let i = 0; i < chars.length; i++) {
          const ch = chars[i] as string;
          // Arrow and function keys arrive as escape sequences (ESC [ … final byte): not part of a passphrase.
          if (escape === 'esc') {
            escape = ch === '[' || ch === 'O' ? 'csi' : 'none';
            continue;
          }
          if (escape === 'csi') {
            if (ch >= '@' && ch <= '~') escape = 'none';
            continue;
          }
          switch (ch) {
            case '\r':
            case '\n':
              // A CR LF pair is one Enter.
              this.pending = chars.slice(ch === '\r' && chars[i + 1] === '\n' ? i + 2 : i + 1).join('');
              done(null);
              return true;
            case '\u0003': // Ctrl-C
              this.pending = '';
              done(cancelled());
              return true;
            case '\u0004': // Ctrl-D: end of input on an empty line
              if (line === '') {
                this.pending = '';
                done(new ArchiveError('cancelled', 'Cancelled: no passphrase was typed.'));
                return true;
              }
              continue;
            case '\u007f':
            case '\b':
              line = [...line].slice(0, -1).join('');
              continue;
            case '\u0015': // Ctrl-U: start the line over
              line = '';
              continue;
            case '\u001b':
              escape = 'esc';
              continue;
            default:
              if (ch < ' ') continue;
              line += ch;
          }
        }
        return false;
      };
      const onData = (chunk: string): void => {
        consume(chunk);
      };
      const onEnd = (): void => done(new ArchiveError('cancelled', 'Cancelled: the input ended before a passphrase was typed.'));
      const onAbort = (): void => done(cancelled());
      const typedAhead = this.pending;
      this.pending = '';
      if (consume(typedAhead)) return;
      input.on('data', onData);
      input.on('end', onEnd);
      this.signal?.addEventListener('abort', onAbort, { once: true });
      input.resume();
    });
  }

  /** Gives the terminal back as it was. */
  close(): void {
    if (this.wasRaw !== undefined) this.input.setRawMode?.(this.wasRaw);
    this.input.pause();
  }
}
