/**
 * The value of one series in Prometheus text format: the sample of `name` whose labels include
 * every one of `labels` (others, such as the registry's `service`, may be present too).
 * Undefined when no such series is exported.
 */
export function metricValue(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = new Map(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => present.get(key) === value))
      return Number(match[3]);
  }
  return undefined;
}

/** Reads `/metrics` from `baseUrl` and returns one series' value. */
export async function scrape(
  baseUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const response = await fetch(`${baseUrl}/metrics`);
  return metricValue(await response.text(), name, labels);
}
