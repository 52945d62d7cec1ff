import assert from 'node:assert/strict';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import request from 'supertest';
import { DEMO_CUSTOMERS } from '@bund/service-kit';
import { loadApiDocuments } from '@bund/specs';
import type { MockBank } from '@bund/mock-bank/build';
import { CATEGORIES } from '@bund/mock-bank/seed/catalogue';
import { buildTestBank, fromGateway } from './test-bank.js';

/*
 * specs/accounts.yaml is what the gateway validates the bank's answers against, so its schemas
 * must accept every real answer (also after the gateway removed detail properties) and reject
 * a broken one.
 */

type Schema = {
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  [key: string]: unknown;
};

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const [accountsDoc] = await loadApiDocuments().then((docs) =>
  docs.filter((d) => d.file === 'accounts.yaml'),
);
const schemaOf = (path: string) =>
  accountsDoc!.document.paths[path]!.get!.responses['200']!.content!['application/json']!
    .schema as Schema;
const validateAccounts = ajv.compile(schemaOf('/accounts'));
const validateTransactions = ajv.compile(schemaOf('/accounts/{accountId}/transactions'));
const transactionSchema = schemaOf('/accounts/{accountId}/transactions').properties!.data!.items!;
const accountSchema = schemaOf('/accounts').properties!.data!.items!;

/** The properties of `schema` the gateway removes without `permission`. */
function gated(schema: Schema, permission: string): string[] {
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) =>
      (property['x-permissions'] as string[] | undefined)?.includes(permission),
    )
    .map(([name]) => name);
}

function assertValid(validate: ReturnType<typeof ajv.compile>, body: unknown, what: string) {
  assert.ok(validate(body), `${what}: ${ajv.errorsText(validate.errors)}`);
}

describe('specs/accounts.yaml against the mock bank', () => {
  let bank: MockBank;

  before(async function () {
    this.timeout(30_000);
    bank = await buildTestBank();
  });
  after(() => bank?.db.destroy());

  it('marks the full account number and the transaction details with their finer permission, never as required', () => {
    assert.deepEqual(gated(accountSchema, 'ReadAccountsDetail'), ['identification']);
    assert.deepEqual(gated(transactionSchema, 'ReadTransactionsDetail'), [
      'description',
      'merchant',
      'counterparty',
      'balanceAfter',
    ]);
    for (const name of [
      ...gated(accountSchema, 'ReadAccountsDetail'),
      ...gated(transactionSchema, 'ReadTransactionsDetail'),
    ]) {
      assert.ok(
        !accountSchema.required!.includes(name) && !transactionSchema.required!.includes(name),
        `${name} is required`,
      );
    }
  });

  it('lists exactly the categories the bank books', () => {
    assert.deepEqual(transactionSchema.properties!.category!.enum, [...CATEGORIES]);
  });

  it("accepts every customer's accounts and a full page of every account's transactions, with and without detail", async function () {
    this.timeout(30_000);
    for (const customer of DEMO_CUSTOMERS) {
      const accounts = await request(bank.app)
        .get('/accounts')
        .set(fromGateway(customer.id))
        .expect(200);
      assertValid(validateAccounts, accounts.body, `${customer.username} accounts`);
      for (const account of accounts.body.data as { id: string }[]) {
        const page = await request(bank.app)
          .get(`/accounts/${account.id}/transactions?limit=500`)
          .set(fromGateway(customer.id))
          .expect(200);
        assertValid(validateTransactions, page.body, account.id);
        // What the gateway forwards without ReadTransactionsDetail.
        const basic = {
          ...page.body,
          data: page.body.data.map((t: Record<string, unknown>) =>
            Object.fromEntries(
              Object.entries(t).filter(
                ([k]) => !gated(transactionSchema, 'ReadTransactionsDetail').includes(k),
              ),
            ),
          ),
        };
        assertValid(validateTransactions, basic, `${account.id} without detail`);
      }
    }
  });

  it('rejects broken bodies: a missing field, an extra one, a bad amount, currency, category or link', async () => {
    const page = await request(bank.app)
      .get('/accounts/acc-0001-03/transactions?limit=1')
      .set(fromGateway())
      .expect(200);
    const good = page.body as {
      data: Record<string, unknown>[];
      links: Record<string, unknown>;
      meta: Record<string, unknown>;
    };
    const broken = (
      change: (t: Record<string, unknown>) => void,
      root?: (b: typeof good) => void,
    ) => {
      const copy = structuredClone(good);
      change(copy.data[0]!);
      root?.(copy);
      return copy;
    };
    const cases: [string, unknown][] = [
      ['no amount', broken((t) => delete t.amount)],
      ['no id', broken((t) => delete t.id)],
      ['an extra property', broken((t) => (t.internalNote = 'x'))],
      [
        'an amount with one decimal',
        broken((t) => (t.amount = { amount: '12.5', currency: 'CNY' })),
      ],
      ['an amount as a number', broken((t) => (t.amount = { amount: 12.5, currency: 'CNY' }))],
      [
        'a negative transaction amount',
        broken((t) => (t.amount = { amount: '-12.50', currency: 'CNY' })),
      ],
      ['a lower-case currency', broken((t) => (t.amount = { amount: '12.50', currency: 'cny' }))],
      ['an unknown category', broken((t) => (t.category = 'gambling'))],
      ['an unknown indicator', broken((t) => (t.creditDebitIndicator = 'credit'))],
      ['a booking time that is not a date-time', broken((t) => (t.bookingDateTime = 'yesterday'))],
      [
        'a full number in the masked counterparty',
        broken((t) => (t.counterparty = { name: 'x', accountNumberMasked: '6217000000000000000' })),
      ],
      [
        'no links',
        broken(
          () => undefined,
          (b) => delete (b as Partial<typeof good>).links,
        ),
      ],
      [
        'an extra meta field',
        broken(
          () => undefined,
          (b) => (b.meta.total = 5),
        ),
      ],
    ];
    assertValid(validateTransactions, good, 'the real page');
    for (const [what, body] of cases)
      assert.equal(validateTransactions(body), false, `accepted ${what}`);
  });
});
