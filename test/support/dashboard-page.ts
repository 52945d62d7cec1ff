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

/** The links under the data-access table to its newer and older pages, by their words (en). */
export function dataAccessLinks(html: string): { newer?: string; older?: string } {
  const section = html.slice(html.indexOf('id="access-title"'), html.indexOf('id="history-title"'));
  const links: { newer?: string; older?: string } = {};
  for (const [, href, text] of section.matchAll(/<a href="([^"]*)">([\s\S]*?)<\/a>/g)) {
    const words = text!.replace(/<[^>]+>/g, '');
    if (words.includes('Newer entries')) links.newer = href!.replaceAll('&amp;', '&');
    if (words.includes('Older entries')) links.older = href!.replaceAll('&amp;', '&');
  }
  return links;
}
