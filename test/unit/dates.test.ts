// The archive's one rule for a date (shared/vocabulary.ts dateProblem, used by the contract's
// DateText and by the forms), and dates read from files' metadata held to the same rule.
import { describe, expect, it } from 'vitest';
import { normaliseDate } from '../../electron/archive/ingest/dates.ts';
import { DateText } from '../../shared/domain.ts';
import { dateProblem, daysInMonth } from '../../shared/vocabulary.ts';

describe('dateProblem', () => {
  it('accepts years, months, days and times that exist, partial dates included', () => {
    for (const ok of ['2019', '2019-10', '2019-10-25', '2020-02-29', '2000-02-29', '2019-12-31T23:59:59Z', '2019-10-25 14:30', '2019-10-25T14:30:00.250+03:00', '2019-10-25T14:30-0330', '2019-10-25T00:00+14:00']) {
      expect(dateProblem(ok), ok).toBeNull();
    }
  });

  it('tells a date written wrongly from one written rightly that is not on the calendar', () => {
    for (const shape of ['yesterday', '19-10-25', '2019-1-5', '2019/10/25', '2019-10-25T14', '', ' 2019']) expect(dateProblem(shape), shape).toBe('format');
    for (const impossible of ['2019-00', '2019-13', '2019-02-29', '1900-02-29', '2019-04-31', '2019-10-00', '2019-10-25T24:00', '2019-10-25T23:60', '2019-10-25T23:59:60', '2019-10-25T10:00+15:00', '2019-10-25T10:00-03:75']) {
      expect(dateProblem(impossible), impossible).toBe('calendar');
    }
  });

  it('counts the days of every month, leap years by the Gregorian rule, early years too', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2019, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect([2024, 2000, 1900, 2100, 4, 0].map((y) => daysInMonth(y, 2))).toEqual([29, 29, 28, 28, 29, 29]);
  });

  it('is the contract schema’s rule, with its own message for each problem', () => {
    const message = (s: string) => DateText.safeParse(s).error?.issues.map((i) => i.message);
    expect(message('2019-02-30')).toEqual(['schema.dateNotOnCalendar']);
    expect(message('last tuesday')).toEqual(['schema.dateFormat']);
    expect(message('2019-02-28')).toBeUndefined();
  });

  it('reads Arabic-Indic digits as the same date, keeps it written in ASCII digits, and refuses Persian ones (a Solar Hijri year)', () => {
    expect(dateProblem('٢٠٢٠-٠٧-٠٢')).toBeNull();
    expect(dateProblem('۱۳۹۹-۰۹')).toBe('format');
    expect(dateProblem('٢٠١٩-٠٢-٣٠')).toBe('calendar');
    expect(dateProblem('٢٠١٩/١٠/٢٥')).toBe('format');
    expect(DateText.parse('٢٠٢٠-٠٧-٠٢T١٤:٣٠+٠٣:٠٠')).toBe('2020-07-02T14:30+03:00');
    expect(DateText.parse('2020-0٧')).toBe('2020-07');
    expect(DateText.safeParse('٢٠١٩-٠٢-٣٠').error?.issues.map((i) => i.message)).toEqual(['schema.dateNotOnCalendar']);
  });
});

describe('dates read from metadata', () => {
  it('keeps what exists and drops what does not, rather than store a wrong date', () => {
    expect(normaliseDate('2019-10-25')).toBe('2019-10-25');
    expect(normaliseDate('2019-10-25 14:30:05+03:00')).toBe('2019-10-25T14:30:05+03:00');
    expect(normaliseDate('20191025')).toBe('2019-10-25');
    expect(normaliseDate("D:20191025143005+03'00'")).toBe('2019-10-25T14:30:05+03:00');
    expect(normaliseDate('Fri, 25 Oct 2019 14:30:00 GMT')).toBe('2019-10-25T14:30:00Z');
    for (const wrong of ['2019-02-30', '20190230', 'D:20190230', '2019-10-25T10:00:60Z', '2019-10-25T10:00+16:00', "D:20191025253005+03'00'", '0999-01-01', 'soon', 42, null]) {
      expect(normaliseDate(wrong), String(wrong)).toBeNull();
    }
  });
});
