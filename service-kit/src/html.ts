import escapeHtml from 'escape-html';

export { escapeHtml };

/** Module-private key: only code in this file can vouch that markup is safe. */
const TRUSTED = Symbol('trusted markup');

/**
 * Markup that is already safe to put in a page: only {@link html} creates it, so a string that
 * reached a page without passing through it is always escaped.
 */
export class SafeHtml {
  readonly #markup: string;

  /** Not callable from outside this module: without the key it throws. Use {@link html}. */
  constructor(key: typeof TRUSTED, markup: string) {
    // A public constructor taking any string would be a way round escaping.
    if (key !== TRUSTED) throw new TypeError('SafeHtml is created only by the html template');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/**
 * What may be interpolated into {@link html}: text (escaped), safe fragments (kept), arrays of
 * either (joined) and `false`/`null`/`undefined` (nothing), so `${cond && html`…`}` reads well.
 */
export type Interpolation =
  SafeHtml | string | number | false | null | undefined | readonly Interpolation[];

function toMarkup(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(toMarkup).join('');
  if (value === false || value === null || value === undefined) return '';
  return escapeHtml(String(value));
}

/**
 * Tagged template for page markup: the literal parts are trusted, every interpolated value is
 * HTML-escaped unless it is itself a {@link SafeHtml}. Attributes must be quoted in the template,
 * which is what makes escaped values safe inside them.
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += toMarkup(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(TRUSTED, markup);
}
