import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { ExecFileException } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '@bund/service-kit/config';
import { ACCOUNT_INFORMATION } from '../support/authorize.js';
import { BundStack } from '../support/bund-stack.js';

const PROMETHEUS_CONFIG = 'ops/prometheus/prometheus.yml';
const ALERT_RULES = 'ops/prometheus/alerts.yml';
const ALERT_TESTS = 'ops/prometheus/alerts.test.yml';
const DASHBOARD = 'ops/grafana/interconnection-health.json';

interface RuleFile {
  groups: { name: string; rules: { alert?: string; record?: string; expr: string }[] }[];
}

interface Panel {
  type: string;
  title?: string;
  datasource?: { type?: string; uid?: string } | string;
  targets?: { expr?: string; datasource?: { type?: string; uid?: string } | string }[];
}

interface Dashboard {
  schemaVersion: number;
  templating: { list: { name: string; type: string; query?: string }[] };
  panels: Panel[];
}

const read = (file: string) => readFileSync(path.join(repoRoot, file), 'utf8');
const alertRules = () => parseYaml(read(ALERT_RULES)) as RuleFile;
const dashboard = () => JSON.parse(read(DASHBOARD)) as Dashboard;
const dashboardExpressions = () =>
  dashboard().panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ''));

/** Runs promtool from the repository root; never throws on a non-zero exit. */
function promtool(args: string[]): Promise<{ code: number | 'missing'; output: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, { cwd: repoRoot }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (!error) return resolve({ code: 0, output });
      const code = (error as ExecFileException).code;
      if (code === 'ENOENT') return resolve({ code: 'missing', output });
      resolve({ code: typeof code === 'number' ? code : -1, output: output || error.message });
    });
  });
}

async function assertPromtoolPasses(args: string[]): Promise<void> {
  const { code, output } = await promtool(args);
  assert.equal(code, 0, `promtool ${args.join(' ')} exited ${code}:\n${output}`);
}

// ---------------------------------------------------------------------------------------------
// Metric names in PromQL

const PROMQL_KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
]);

/** Series Prometheus makes itself for every target: no service exports them. */
const PROMETHEUS_SERIES = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
]);

/**
 * The metric names a PromQL expression selects. Strings, label matchers (`{…}`), ranges
 * (`[…]`) and the label lists of `by`/`without`/`on`/`ignoring`/`group_*` are removed first;
 * what is left is functions and aggregations (an identifier followed by `(`), keywords,
 * numbers, operators and metric names.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const name = match[0];
    const rest = stripped.slice(match.index + name.length);
    if (/^\s*\(/.test(rest)) continue; // a function or an aggregation
    if (PROMQL_KEYWORDS.has(name.toLowerCase())) continue;
    // The exponent of a number such as 1e3 (a name never starts right after a digit).
    if (match.index > 0 && /[0-9.]/.test(stripped[match.index - 1]!)) continue;
    names.add(name);
  }
  return [...names];
}

/**
 * Every series name an exposition declares or carries: `# TYPE` lines (a histogram declares
 * `_bucket`, `_sum` and `_count`, a summary `_sum` and `_count` besides its own name) and
 * sample lines.
 */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE ([a-zA-Z_:][\w:]*) (\w+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name!);
      if (kind === 'histogram')
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (kind === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
      continue;
    }
    const sample = /^([a-zA-Z_:][\w:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]!);
  }
  return names;
}

describe('Operator kit (ops/): Prometheus configuration, alert rules, Grafana dashboard', () => {
  describe('promtool accepts the configuration and the rules, and the rule tests pass', () => {
    before(async function () {
      const { code } = await promtool(['--version']);
      if (code !== 'missing') return;
      const why =
        "promtool not found: install Debian's prometheus package to run the alert-rule tests";
      if (process.env.CI === 'true')
        assert.fail(`${why}. CI must install Debian's prometheus package (see .ci/run).`);
      console.log(`      (skipped: ${why})`);
      this.skip();
    });

    it('promtool check config: the configuration and the rule files it loads are valid', async () => {
      await assertPromtoolPasses(['check', 'config', PROMETHEUS_CONFIG]);
    });

    it('promtool check rules: every alert rule is valid', async () => {
      await assertPromtoolPasses(['check', 'rules', ALERT_RULES]);
    });

    it('promtool test rules: every alert fires when it should and stays quiet otherwise', async () => {
      await assertPromtoolPasses(['test', 'rules', ALERT_TESTS]);
    });

    it("the dashboard's expressions are valid PromQL", async () => {
      // promtool has no offline query check; recording rules with the expressions are checked.
      const rules = {
        groups: [
          {
            name: 'dashboard',
            rules: dashboardExpressions().map((expr, i) => ({
              record: `dashboard:expression:${i}`,
              expr: expr.replaceAll(/\$__(?:rate_interval|interval|range)/g, '5m'),
            })),
          },
        ],
      };
      const dir = mkdtempSync(path.join(tmpdir(), 'bund-ops-'));
      try {
        const file = path.join(dir, 'dashboard.rules.yml');
        writeFileSync(file, JSON.stringify(rules));
        await assertPromtoolPasses(['check', 'rules', file]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('alerts.test.yml', () => {
    it('every alert has a test in which it fires and one in which it does not', () => {
      const tests = parseYaml(read(ALERT_TESTS)) as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
      };
      const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
      for (const alert of alertRules().groups.flatMap((group) => group.rules)) {
        if (!alert.alert) continue;
        const mine = cases.filter((c) => c.alertname === alert.alert);
        assert.ok(
          mine.some((c) => (c.exp_alerts ?? []).length > 0),
          `${alert.alert}: no test where it fires`,
        );
        assert.ok(
          mine.some((c) => (c.exp_alerts ?? []).length === 0),
          `${alert.alert}: no test where it stays quiet`,
        );
      }
    });
  });

  describe('every metric the rules and the dashboard use is exported by the running stack', () => {
    let stack: BundStack;
    let exported: Set<string>;

    before(async function () {
      this.timeout(60_000);
      stack = await BundStack.start();
      // A granted consent and real TPP calls through the gateway: one answered, one refused
      // (no token), so the labelled series exist.
      const tokens = await stack.tokensFor(stack.tpps.a, [ACCOUNT_INFORMATION], {
        accounts: ['acc-0001-01'],
      });
      const answered = await stack.call(stack.tpps.a, tokens.access_token, '/accounts');
      assert.equal(answered.status, 200, await answered.text());
      const refused = await fetch(`${stack.gatewaySlot.url}/accounts`);
      assert.equal(refused.status, 401);
      exported = new Set();
      for (const url of [
        stack.bank.url,
        stack.exchange.url,
        stack.consent.url,
        // The gateway's operator listener (its TPP port serves no metrics).
        stack.opsSlot.url,
      ]) {
        const response = await fetch(`${url}/metrics`);
        assert.equal(response.status, 200, `${url}/metrics`);
        for (const name of exportedNames(await response.text())) exported.add(name);
      }
    });
    after(async () => stack?.stop());

    it('reads metric names out of PromQL, and only metric names', () => {
      assert.deepEqual(
        metricNames(
          'sum by (backend) (rate(bund_upstream_failures_total{failure!="invalid_response"}[5m])) / ' +
            '(sum by (le) (rate(x_bucket{le=~"0.5|1"}[$__rate_interval])) or on (backend) y) * 60 > 1e3 ' +
            'and histogram_quantile(0.99, z) unless max_over_time(w[1m]) == 0',
        ).sort(),
        ['bund_upstream_failures_total', 'w', 'x_bucket', 'y', 'z'],
      );
      const names = alertRules().groups.flatMap((g) => g.rules.flatMap((r) => metricNames(r.expr)));
      for (const name of ['up', 'bund_interconnection_up', 'bund_gateway_requests_total'])
        assert.ok(names.includes(name), name);
    });

    it('every metric in alerts.yml is exported', () => {
      const missing = alertRules()
        .groups.flatMap((group) => group.rules)
        .flatMap((rule) =>
          metricNames(rule.expr)
            .filter((name) => !PROMETHEUS_SERIES.has(name) && !exported.has(name))
            .map((name) => `${rule.alert ?? rule.record}: ${name}`),
        );
      assert.deepEqual(missing, [], 'metrics no service exports');
    });

    it('every metric in the Grafana dashboard is exported', () => {
      const missing = dashboard().panels.flatMap((panel) =>
        (panel.targets ?? []).flatMap((target) =>
          metricNames(target.expr ?? '')
            .filter((name) => !PROMETHEUS_SERIES.has(name) && !exported.has(name))
            .map((name) => `${panel.title}: ${name}`),
        ),
      );
      assert.deepEqual(missing, [], 'metrics no service exports');
    });
  });

  describe('the Grafana dashboard', () => {
    const usesVariable = (datasource: Panel['datasource']) =>
      typeof datasource === 'string'
        ? datasource === '$datasource' || datasource === '${datasource}'
        : datasource?.uid === '${datasource}' || datasource?.uid === '$datasource';

    it('has a Prometheus datasource variable and no hard-coded datasource', () => {
      const board = dashboard();
      assert.ok(board.schemaVersion >= 36, `schemaVersion ${board.schemaVersion}`);
      const variable = board.templating.list.find((v) => v.name === 'datasource');
      assert.ok(variable, 'no datasource template variable');
      assert.equal(variable.type, 'datasource');
      assert.equal(variable.query, 'prometheus');
    });

    it('every panel has a title, the datasource variable and an expression', () => {
      const panels = dashboard().panels.filter((panel) => panel.type !== 'row');
      assert.ok(panels.length > 0);
      for (const panel of panels) {
        const title = panel.title ?? '';
        assert.ok(title.trim(), `a ${panel.type} panel has no title`);
        assert.ok(usesVariable(panel.datasource), `${title}: datasource is not $datasource`);
        const targets = panel.targets ?? [];
        assert.ok(targets.length > 0, `${title}: no target`);
        for (const target of targets) {
          assert.ok(target.expr?.trim(), `${title}: a target has no expression`);
          if (target.datasource)
            assert.ok(usesVariable(target.datasource), `${title}: target datasource`);
        }
      }
    });
  });
});
