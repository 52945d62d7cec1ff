import type { Bilingual, Lang } from './view-models.js';

/** The bank's customers and its records live in China time, whatever the server's zone. */
const TIME_ZONE = 'Asia/Shanghai';

const LOCALE: Record<Lang, string> = { en: 'en-GB', zh: 'zh-CN' };

/** The `lang` attribute of a page: BCP 47, so screen readers pick the right voice. */
export const HTML_LANG: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };

const dateFormats: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat(LOCALE.en, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: TIME_ZONE,
  }),
  zh: new Intl.DateTimeFormat(LOCALE.zh, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: TIME_ZONE,
  }),
};

const dateTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat(LOCALE.en, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
  }),
  zh: new Intl.DateTimeFormat(LOCALE.zh, {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: TIME_ZONE,
  }),
};

function format(formatter: Intl.DateTimeFormat, iso: string): string {
  const date = new Date(iso);
  // A malformed date is a bug upstream, but a page showing the raw value beats a 500 mid-consent.
  return Number.isNaN(date.getTime()) ? iso : formatter.format(date);
}

/** A calendar date in the customer's language: `2027年1月31日` / `31 Jan 2027`. */
export function formatDate(iso: string, lang: Lang): string {
  return format(dateFormats[lang], iso);
}

/** A date and time (China time, 24-hour): `2027年1月31日 18:00` / `31 Jan 2027, 18:00`. */
export function formatDateTime(iso: string, lang: Lang): string {
  return format(dateTimeFormats[lang], iso);
}

/** The text of a bilingual value in the page's language. */
export function pick(text: Bilingual, lang: Lang): string {
  return text[lang];
}

/**
 * The link that shows the current page in `lang`. `path` comes without `lang`, but may carry
 * other query parameters, which must survive the switch.
 */
export function languageHref(path: string, lang: Lang): string {
  return `${path}${path.includes('?') ? '&' : '?'}lang=${lang}`;
}

/**
 * Up to two letters standing in for a missing logo: the first character of the first two
 * words (`Bund Demo Budgeting` → `BD`), or the first two characters of a single CJK word.
 */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = Array.from(words[0] ?? '?');
  const second = words[1] === undefined ? undefined : Array.from(words[1]);
  const letters =
    second === undefined
      ? first.slice(0, /^[\p{Script=Han}]/u.test(first[0] ?? '') ? 2 : 1)
      : [first[0], second[0]];
  return letters.join('').toUpperCase();
}
