// As-you-type calls where only the newest request counts. Requests may be debounced (the search
// screens use none: while a call runs, later keystrokes coalesce into one request anyway, and an
// undelayed call starts within the keystroke's own task, before its frame is drawn), at most one
// call runs at a time (a stale query queued behind the engine would only delay the one
// the person is looking at), and a result is delivered only if no newer request was made after
// its call started: a slow answer to "kad" can never replace the answer to "kadhimi".
export interface LatestHandlers<A, R> {
  readonly run: (args: A) => Promise<R>;
  readonly onResult: (args: A, result: R) => void;
  readonly onError: (args: A, error: unknown) => void;
  /** Called when a call starts, so a screen can say it is searching. */
  readonly onStart?: (args: A) => void;
}

export class LatestRunner<A, R> {
  private readonly handlers: LatestHandlers<A, R>;
  private readonly delayMs: number;
  private seq = 0;
  private pending: { seq: number; args: A } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private disposed = false;

  constructor(handlers: LatestHandlers<A, R>, delayMs: number) {
    this.handlers = handlers;
    this.delayMs = delayMs;
  }

  /** Asks for `args`; supersedes every earlier request. */
  request(args: A): void {
    if (this.disposed) return;
    this.pending = { seq: ++this.seq, args };
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.delayMs <= 0) {
      // Runs now if nothing is running; otherwise the running call's end runs it.
      this.pump();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, this.delayMs);
  }

  /** Forgets pending requests and drops the answer of the running one. */
  cancel(): void {
    this.seq++;
    this.pending = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
  }

  private pump(): void {
    if (this.running || this.pending === null || this.disposed) return;
    const { seq, args } = this.pending;
    this.pending = null;
    this.running = true;
    this.handlers.onStart?.(args);
    this.handlers.run(args).then(
      (result) => this.finish(seq, () => this.handlers.onResult(args, result)),
      (error: unknown) => this.finish(seq, () => this.handlers.onError(args, error)),
    );
  }

  private finish(seq: number, deliver: () => void): void {
    this.running = false;
    if (seq === this.seq && !this.disposed) deliver();
    // A request that came in while this call ran has waited out its debounce already (or will).
    if (this.timer === null) this.pump();
  }
}
