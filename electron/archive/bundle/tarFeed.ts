// Feeds a tar-stream parser by hand rather than through a pipeline, for the bag reader and for
// inspect: both need to see every chunk on its way in (to count bytes, to keep the archive's tail,
// to know when a chunk may be reused) and to stop reading the moment their consumer gives up.
import type { Extract } from 'tar-stream';

export interface FeedHooks {
  /** Asked before each chunk: true stops reading (the parser is then ended, not destroyed). */
  readonly stop?: () => boolean;
  /** Each chunk, just before the parser gets it. */
  readonly onChunk?: (bytes: Uint8Array) => void;
  /** The parser has processed every chunk written so far (after it asked to wait). */
  readonly onDrain?: () => void;
  /** The source failed: called before the parser is destroyed with the error, so the consumer's own failure can be traced to it. */
  readonly onError?: (error: unknown) => void;
}

/** Resolves to true when the parser drained, false when it closed first (it was destroyed). */
function drained(parser: Extract): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const settle = (value: boolean) => () => {
      parser.off('drain', onDrain);
      parser.off('close', onClose);
      resolve(value);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    parser.on('drain', onDrain);
    parser.on('close', onClose);
  });
}

/**
 * Writes `source` into `parser` with backpressure (waits whenever the parser asks to) and ends it.
 * Never rejects: a failing source is reported to onError and destroys the parser with its error.
 */
export async function feedParser(parser: Extract, source: AsyncIterable<unknown>, hooks: FeedHooks = {}): Promise<void> {
  try {
    for await (const chunk of source) {
      if (hooks.stop?.() === true || parser.destroying) break;
      const bytes = chunk as Uint8Array;
      hooks.onChunk?.(bytes);
      if (!parser.write(bytes) && (await drained(parser))) hooks.onDrain?.();
    }
    if (!parser.destroying) parser.end(null);
  } catch (error) {
    hooks.onError?.(error);
    parser.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
