// escape-html ships no types and @types/escape-html is not installed; this is its whole API.
declare module 'escape-html' {
  /** Escapes `"`, `&`, `'`, `<` and `>` so the result is safe in text and quoted attributes. */
  function escapeHtml(value: string): string;
  export = escapeHtml;
}
