import { html } from '@bund/service-kit/html';
import type { SafeHtml } from '@bund/service-kit/html';

/** A `<pre>` code block; `language` only labels it. */
export const codeBlock = (code: string, language = ''): SafeHtml =>
  html`<pre
    class="code"
    ${language ? html` data-lang="${language}"` : ''}
  ><code>${code}</code></pre>`;

/** Pretty JSON for a code block. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2);
