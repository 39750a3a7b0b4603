// Dates found in metadata come in every shape; the archive stores ISO dates (shared/domain.ts
// DateText). Anything we cannot read with confidence becomes null rather than a wrong date.

import { dateProblem } from '../../../shared/vocabulary.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO date or timestamp (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][zone]) from common date spellings. */
export function normaliseDate(value: unknown): string | null {
  const date = typeof value === 'string' ? readDate(value.trim()) : null;
  // The archive's own rule (a day that exists), and no year a real file could not carry.
  return date !== null && dateProblem(date) === null && Number(date.slice(0, 4)) >= 1000 ? date : null;
}

function readDate(s: string): string | null {
  if (s === '') return null;

  const iso = ISO.exec(s);
  if (iso) {
    const [, y, m, d, hh] = iso;
    return hh === undefined ? `${y}-${m}-${d}` : s.replace(' ', 'T');
  }

  // yt-dlp's upload_date.
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (compact) {
    const [, y, m, d] = compact;
    return `${y}-${m}-${d}`;
  }

  // PDF dates: D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional.
  const pdf = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (pdf) {
    const [, y, m = '01', d = '01', hh, mm = '00', ss = '00', zone] = pdf;
    if (hh === undefined) return `${y}-${m}-${d}`;
    const tz = !zone ? '' : zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.replace(/'/g, '').slice(3, 5) || '00'}`;
    return `${y}-${m}-${d}T${hh}:${mm}:${ss}${tz}`;
  }

  // RFC 2822 and other spelled-out dates. Date.parse guesses wildly on short or numeric-only
  // strings ("1" is 2001), so insist on a four-digit year and a month name.
  if (/\b\d{4}\b/.test(s) && /[a-z]{3}/i.test(s) && s.length <= 64) {
    const t = Date.parse(s);
    if (Number.isFinite(t)) {
      const date = new Date(t);
      const year = date.getUTCFullYear();
      if (year >= 1000 && year <= 9999) return date.toISOString().replace('.000Z', 'Z');
    }
  }
  return null;
}
