/** The data-access table of a dashboard consent page: each row's text, tags stripped. */
export function dataAccessRows(html: string): string[] {
  const section = html.slice(html.indexOf('id="access-title"'), html.indexOf('id="history-title"'));
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    row[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}
