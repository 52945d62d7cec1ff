/**
 * `npm run bench`: runs every benchmark in this folder (each `*.ts` file beside this one) in
 * turn, each in its own process.
 *
 *   npm run bench                                   every benchmark, default settings
 *   npm run bench -- consent-flow --rounds 3        only the named ones, options passed on
 *
 * Benchmarks report, they do not gate: a missed target still exits 0; only a benchmark that
 * crashes makes this exit non-zero.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('-'));
const names = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);

const available = readdirSync(fileURLToPath(new URL('.', import.meta.url)))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'run.ts')
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();
const unknown = names.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  process.stderr.write(
    `no benchmark named ${unknown.join(', ')}; there are: ${available.join(', ')}\n`,
  );
  process.exit(2);
}

const failed: string[] = [];
for (const name of names.length > 0 ? names : available) {
  process.stdout.write(`\n=== bench/${name}.ts\n`);
  const file = fileURLToPath(new URL(`${name}.ts`, import.meta.url));
  const { status, signal } = spawnSync(process.execPath, ['--import', 'tsx', file, ...options], {
    stdio: 'inherit',
  });
  if (status !== 0) failed.push(`${name} (${signal ?? `exit ${status}`})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nbenchmarks that did not finish: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
