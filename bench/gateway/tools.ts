import { spawnSync } from 'node:child_process';

const has = (command: string) =>
  spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** Where the tools live once installed (nginx is under /usr/sbin, not always on PATH). */
const PATHS: Record<string, string[]> = { wrk: ['wrk'], nginx: ['nginx', '/usr/sbin/nginx'] };

function locate(tool: string): string | undefined {
  return PATHS[tool]!.find(has);
}

function aptInstall(packages: string[], print: (line: string) => void): void {
  const run = (args: string[]) =>
    spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
    });
  print(`installing ${packages.join(', ')} with apt-get…`);
  let result = run(['install', '-y', '--no-install-recommends', ...packages]);
  if (result.status !== 0) {
    // A fresh machine may have no package lists yet.
    run(['update']);
    result = run(['install', '-y', '--no-install-recommends', ...packages]);
  }
  if (result.status !== 0 || result.error) {
    const why = result.error?.message ?? result.stderr.trim().split('\n').slice(-2).join(' ');
    print(`apt-get could not install ${packages.join(', ')}: ${why}`);
  }
}

/**
 * The paths of wrk and nginx, installing Debian's packages when missing (the benchmark runs as
 * root on the bench machine). Undefined for a tool that is still missing: its contender is
 * skipped with a message.
 */
export function ensureTools(print: (line: string) => void): { wrk?: string; nginx?: string } {
  const missing = ['wrk', 'nginx'].filter((tool) => !locate(tool));
  if (missing.length > 0) aptInstall(missing, print);
  return { wrk: locate('wrk'), nginx: locate('nginx') };
}
