/** Markup that is already safe: produced by {@link html}, never from outside text. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * A template whose every interpolation is HTML-escaped, unless it is itself `html` (or a list
 * of them): page text can quote specs, URLs and configuration without any of it becoming markup.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** A `<pre>` code block; `language` only labels it. */
export const codeBlock = (code: string, language = ''): SafeHtml =>
  html`<pre
    class="code"
    ${language ? html` data-lang="${language}"` : ''}
  ><code>${code}</code></pre>`;

/** Pretty JSON for a code block. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2);
