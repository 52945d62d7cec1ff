/**
 * Date arithmetic on `YYYY-MM-DD` strings in UTC, so the seed never depends on the machine's
 * time zone. Booking times are China Standard Time, written with a fixed `+08:00` offset.
 */

const DAY_MS = 86_400_000;

/** The offset every booking time is written with; one offset keeps text order = time order. */
export const CHINA_OFFSET = '+08:00';

function toDate(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/** `day` plus `days` (negative goes back). */
export function addDays(day: string, days: number): string {
  return new Date(toDate(day).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

/** `day` minus `months` calendar months, clamped to the month's last day (03-31 → 02-28). */
export function subtractMonths(day: string, months: number): string {
  const date = toDate(day);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)))
    .toISOString()
    .slice(0, 10);
}

/** Every day from `start` (inclusive) to `end` (exclusive). */
export function daysBetween(start: string, end: string): string[] {
  const days: string[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The facts of one day the activity generators branch on. */
export interface DayFacts {
  day: string;
  /** 1..31 */
  dayOfMonth: number;
  /** 1..12 */
  month: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  isWeekend: boolean;
  /** The last day of its month. */
  isMonthEnd: boolean;
}

/** Facts about `day`. */
export function dayFacts(day: string): DayFacts {
  const date = toDate(day);
  const weekday = date.getUTCDay();
  return {
    day,
    dayOfMonth: date.getUTCDate(),
    month: date.getUTCMonth() + 1,
    weekday,
    isWeekend: weekday === 0 || weekday === 6,
    isMonthEnd: addDays(day, 1).slice(8, 10) === '01',
  };
}

/** `day` at `secondOfDay` seconds after midnight China time, as an ISO date-time. */
export function chinaDateTime(day: string, secondOfDay: number): string {
  const h = Math.floor(secondOfDay / 3600);
  const m = Math.floor((secondOfDay % 3600) / 60);
  const s = secondOfDay % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day}T${pad(h)}:${pad(m)}:${pad(s)}${CHINA_OFFSET}`;
}
