// Dates found in metadata come in every shape; the archive stores ISO dates (shared/domain.ts
// DateText). Anything we cannot read with confidence becomes null rather than a wrong date.

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function validDay(y: number, m: number, d: number): boolean {
  if (y < 1000 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** ISO date or timestamp (YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS][zone]) from common date spellings. */
export function normaliseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (s === '') return null;

  const iso = ISO.exec(s);
  if (iso) {
    const [, y, m, d, hh, mm] = iso;
    if (!validDay(Number(y), Number(m), Number(d))) return null;
    if (hh === undefined) return `${y}-${m}-${d}`;
    if (Number(hh) > 23 || Number(mm) > 59) return null;
    return s.replace(' ', 'T');
  }

  // yt-dlp's upload_date.
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (compact) {
    const [, y, m, d] = compact;
    return validDay(Number(y), Number(m), Number(d)) ? `${y}-${m}-${d}` : null;
  }

  // PDF dates: D:YYYYMMDDHHmmSSOHH'mm' with every part after the year optional.
  const pdf = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (pdf) {
    const [, y, m = '01', d = '01', hh, mm = '00', ss = '00', zone] = pdf;
    if (!validDay(Number(y), Number(m), Number(d))) return null;
    if (hh === undefined) return `${y}-${m}-${d}`;
    if (Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return null;
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
