// Pull-style reading over an async iterable of byte chunks, so the age format can be read as the
// spec describes it (a line, then exactly n bytes) whatever sizes the underlying stream delivers.

export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

async function* fromSync(source: Iterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  yield* source;
}

export class ByteReader {
  readonly #iterator: AsyncIterator<Uint8Array | string>;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #ended = false;
  /** Bytes handed out so far: the offset, in the input, of the next byte read. */
  position = 0;

  constructor(source: ByteSource) {
    this.#iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : fromSync(source);
  }

  async #pull(): Promise<boolean> {
    if (this.#ended) return false;
    const next = await this.#iterator.next();
    if (next.done) {
      this.#ended = true;
      return false;
    }
    const value = next.value;
    const chunk = typeof value === 'string' ? Buffer.from(value) : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    if (chunk.length > 0) {
      this.#pending.push(chunk);
      this.#pendingBytes += chunk.length;
    }
    return true;
  }

  #take(n: number): Buffer {
    let out: Buffer;
    const first = this.#pending[0];
    if (first !== undefined && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#pending.shift();
      else this.#pending[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.#pending);
      out = all.subarray(0, n);
      this.#pending = all.length > n ? [all.subarray(n)] : [];
    }
    this.#pendingBytes -= out.length;
    this.position += out.length;
    return out;
  }

  /** Reads n bytes; fewer only if the input ends first. */
  async read(n: number): Promise<Buffer> {
    while (this.#pendingBytes < n && (await this.#pull()));
    return this.#take(Math.min(n, this.#pendingBytes));
  }

  /** Whatever is buffered (reading more only if nothing is): at least one byte, or none at the end. */
  async readSome(): Promise<Buffer> {
    if (this.#pendingBytes === 0) await this.atEnd();
    return this.#take(this.#pendingBytes);
  }

  /** True when no byte is left. Reading ahead like this is how a last chunk is told from the others. */
  async atEnd(): Promise<boolean> {
    while (this.#pendingBytes === 0) if (!(await this.#pull())) return true;
    return false;
  }

  /** Looks at up to n upcoming bytes without consuming them. */
  async peek(n: number): Promise<Buffer> {
    while (this.#pendingBytes < n && (await this.#pull()));
    const all = this.#pending.length === 1 ? (this.#pending[0] ?? Buffer.alloc(0)) : Buffer.concat(this.#pending);
    this.#pending = all.length > 0 ? [all] : [];
    return all.subarray(0, n);
  }

  /**
   * Reads through the next LF. Returns the line without it and whether a LF ended it (false at the
   * end of input), or null if no LF comes within `max` bytes.
   */
  async readLine(max: number): Promise<{ line: Buffer; terminated: boolean } | null> {
    let scanned = 0;
    for (;;) {
      const all = await this.peek(this.#pendingBytes);
      const lf = all.indexOf(0x0a, scanned);
      if (lf >= 0) {
        if (lf > max) return null;
        const line = this.#take(lf + 1);
        return { line: line.subarray(0, lf), terminated: true };
      }
      if (all.length > max) return null;
      scanned = all.length;
      if (!(await this.#pull())) return { line: this.#take(this.#pendingBytes), terminated: false };
    }
  }
}
