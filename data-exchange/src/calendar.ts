/**
 * Calendar arithmetic on ISO strings (`YYYY-MM` months, `YYYY-MM-DD` dates), in UTC. Strings,
 * not Date objects, because that is how they are stored and compared in the database: they
 * sort correctly as text on SQLite and PostgreSQL alike.
 */

/** A month written `YYYY-MM`. */
export type Month = string;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True when `value` is a month `YYYY-MM` (01–12). */
export function isMonth(value: string): boolean {
  return MONTH.test(value);
}

function monthIndex(month: Month): number {
  const match = MONTH.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

function monthFromIndex(index: number): Month {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/** The month `count` months after `month` (negative counts go back). */
export function addMonths(month: Month, count: number): Month {
  return monthFromIndex(monthIndex(month) + count);
}

/** How many months `to` is after `from` (negative when before). */
export function monthsBetween(from: Month, to: Month): number {
  return monthIndex(to) - monthIndex(from);
}

/** The month a date `YYYY-MM-DD` falls in. */
export function monthOf(date: string): Month {
  return date.slice(0, 7);
}

/** The calendar month number (1–12) of a month. */
export function monthNumber(month: Month): number {
  return (monthIndex(month) % 12) + 1;
}

/** The year of a month or date. */
export function yearOf(value: string): number {
  return Number(value.slice(0, 4));
}

/** The `count` whole months before the month of `anchorDate`, oldest first. */
export function monthsBefore(anchorDate: string, count: number): Month[] {
  const anchor = monthOf(anchorDate);
  return Array.from({ length: count }, (_, i) => addMonths(anchor, i - count));
}

/** The date `YYYY-MM-DD` of day `day` of `month`, clamped to the month's last day. */
export function dayOfMonth(month: Month, day: number): string {
  const last = new Date(Date.UTC(yearOf(month), monthNumber(month), 0)).getUTCDate();
  return `${month}-${String(Math.min(day, last)).padStart(2, '0')}`;
}

/** The date `days` days after `date` (negative goes back). */
export function addDays(date: string, days: number): string {
  const time = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(time).toISOString().slice(0, 10);
}
