// Dates, numbers and sizes in the current language, through Intl (Arabic gets Arabic month names
// and, per its locale data, its own digits).
import i18next from 'i18next';

function locale(): string {
  return i18next.language || 'en';
}

// Building an Intl formatter costs far more than using one (about half a millisecond each here:
// a page of search results or a screenful of library rows used to spend most of its render on
// it), so each one is built once per language and options.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(kind: string, options: object, make: (locale: string) => F): F {
  const key = `${kind} ${locale()} ${JSON.stringify(options)}`;
  let f = formatters.get(key) as F | undefined;
  if (!f) formatters.set(key, (f = make(locale())));
  return f;
}

const numberFormat = (options: Intl.NumberFormatOptions = {}) => cached('n', options, (l) => new Intl.NumberFormat(l, options));
const dateFormat = (options: Intl.DateTimeFormatOptions) => cached('d', options, (l) => new Intl.DateTimeFormat(l, options));

export function formatNumber(n: number): string {
  return numberFormat().format(n);
}

/** 0.5 → "50%" in the language's own way of writing it. */
export function formatPercent(fraction: number): string {
  return numberFormat({ style: 'percent' }).format(fraction);
}

/** Partial dates stay partial: "2019" is a year, "2019-10" a month. */
export function formatDate(text: string | null | undefined): string {
  if (!text) return '';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (m) {
    const [, y, mo, d] = m;
    const date = new Date(Date.UTC(Number(y), mo ? Number(mo) - 1 : 0, d ? Number(d) : 1));
    const opts: Intl.DateTimeFormatOptions = d
      ? { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }
      : mo
        ? { year: 'numeric', month: 'long', timeZone: 'UTC' }
        : { year: 'numeric', timeZone: 'UTC' };
    return dateFormat(opts).format(date);
  }
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return dateFormat({ year: 'numeric', month: 'short', day: 'numeric' }).format(date);
}

export function formatDateTime(text: string | null | undefined): string {
  if (!text) return '';
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return text;
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatBytes(bytes: number): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return numberFormat({ style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const nf = numberFormat({ minimumIntegerDigits: 2, useGrouping: false });
  const mf = numberFormat({ useGrouping: false });
  return h > 0 ? `${mf.format(h)}:${nf.format(m)}:${nf.format(sec)}` : `${mf.format(m)}:${nf.format(sec)}`;
}

const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]/;
const LATIN_SCRIPT = /[a-z\u00c0-\u024f]/i;

/**
 * The language to mark a title or a name with, so that a screen reader reads it in the right
 * voice whatever the interface's language: the item's own when the text is written in its
 * script (a researcher may title an Arabic article in English), else a guess from the script.
 * Undefined when the text mixes scripts or has no letters: it then inherits the interface's.
 */
export function textLang(text: string, declared?: string | null): string | undefined {
  const arabic = ARABIC_SCRIPT.test(text);
  const latin = LATIN_SCRIPT.test(text);
  if (arabic === latin) return undefined;
  if (declared && /^(ar|fa|ur|ckb|ps|sd|ug)(-|$)/i.test(declared) === arabic) return declared;
  return arabic ? 'ar' : 'en';
}
