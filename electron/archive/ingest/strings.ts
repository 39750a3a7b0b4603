// Small string helpers shared by the extractors. Every string an extractor returns goes through
// one of these so that it is NFC-normalised (search and comparison assume one form per text).

/** NFC-normalises, turns every kind of line break into a newline, drops other controls but tab. */
export function cleanText(value: string): string {
  return (
    value
      .replace(/\r\n?|[\f\v\u2028\u2029\u0085]/g, '\n')
      // Control characters only get in the way of search and display; tab and newline carry
      // structure, so they stay.
      .replace(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g, '')
      .normalize('NFC')
  );
}

/** Cuts to at most `max` UTF-16 units without splitting a surrogate pair. */
export function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** One line of metadata (title, author...): whitespace collapsed, NFC, clipped; empty -> null. */
export function oneLine(value: string | null | undefined, max = 2000): string | null {
  if (typeof value !== 'string') return null;
  const line = cleanText(value).replace(/[\s\u00a0\u200b]+/g, ' ').trim();
  return line === '' ? null : clip(line, max).trim();
}

/** An absolute http(s) URL in its canonical serialisation, or null. */
export function httpUrl(value: string | null | undefined, base?: string | null): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  let url: URL;
  try {
    url = base ? new URL(value.trim(), base) : new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  // A URL longer than the domain allows is more likely a data blob than a source.
  return url.href.length <= 8000 ? url.href.normalize('NFC') : null;
}
