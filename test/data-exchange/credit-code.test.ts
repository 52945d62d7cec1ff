import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS, OTHER_ENTERPRISE_CREDIT_CODES } from '@bund/service-kit';
import {
  checkCreditCode,
  creditCodeCheckCharacter,
  generateCreditCode,
  isValidCreditCode,
  organisationCheckDigit,
} from '@bund/data-exchange/credit-code';

describe('unified social credit code (GB 32100-2015)', () => {
  const valid = [
    ['the standard worked example', '91350100M000100Y43'],
    ...DEMO_CUSTOMERS.filter((c) => c.creditCode).map((c) => [c.nameEn, c.creditCode!]),
    ...OTHER_ENTERPRISE_CREDIT_CODES.map((code) => ['an enterprise outside the bank', code]),
  ] as const;
  for (const [what, code] of valid) {
    it(`accepts ${code} (${what})`, () => {
      assert.deepEqual(checkCreditCode(code), { valid: true });
      assert.equal(isValidCreditCode(code), true);
    });
  }

  const invalid: ReadonlyArray<readonly [string, string, string, RegExp]> = [
    ['too short', '91350100M000100Y4', 'length', /must be 18 characters, got 17/],
    ['too long', '91350100M000100Y433', 'length', /got 19/],
    ['empty', '', 'length', /got 0/],
    [
      'with I, which the charset leaves out',
      '91350100M000100YI3',
      'character',
      /character 17 \("I"\)/,
    ],
    ['with O', 'O1350100M000100Y43', 'character', /character 1 \("O"\)/],
    ['with S, V or Z', '91350100M000100S43', 'character', /character 16 \("S"\)/],
    ['in lower case', '91350100m000100y43', 'character', /character 9 \("m"\)/],
    ['with a letter in the region code', '9135A100M000100Y43', 'region_code', /region code/],
    [
      'with a wrong organisation-code check digit',
      '91350100M000100Y53',
      'organisation_code_check',
      /organisation code M000100Y5 fails its GB 11714 check digit/,
    ],
    ['with a wrong check character', '91350100M000100Y44', 'check_character', /check character/],
    ['with two characters swapped', '91310115MA1K4B7XDG', 'organisation_code_check', /GB 11714/],
  ];
  for (const [what, code, problem, reason] of invalid) {
    it(`refuses a code ${what}, saying why`, () => {
      const result = checkCreditCode(code);
      assert.equal(result.valid, false);
      assert.ok(!result.valid);
      assert.equal(result.problem, problem);
      assert.match(result.reason, reason);
      assert.equal(isValidCreditCode(code), false);
    });
  }

  it('computes the GB 11714 check digit, writing 10 as X and 11 as 0', () => {
    assert.equal(organisationCheckDigit('M000100Y'), '4');
    assert.equal(organisationCheckDigit('MA1K4B7D'), 'X');
    assert.equal(organisationCheckDigit('MA1FL8Q2'), '0');
  });

  it('computes the check character over the first 17 characters', () => {
    assert.equal(creditCodeCheckCharacter('91350100M000100Y4'), '3');
    assert.equal(creditCodeCheckCharacter('91310115MA1K4B7DX'), 'G');
    assert.equal(creditCodeCheckCharacter('91330106MA2CD4E53'), 'X');
  });

  it('generates valid codes from their parts', () => {
    assert.equal(
      generateCreditCode({ regionCode: '350100', organisationBody: 'M000100Y' }),
      '91350100M000100Y43',
    );
    for (const organisationBody of ['00000000', 'MA1K4B7D', 'YYYYYYYY', '12345678']) {
      const code = generateCreditCode({ regionCode: '440300', organisationBody });
      assert.deepEqual(checkCreditCode(code), { valid: true }, code);
    }
    assert.throws(() => generateCreditCode({ regionCode: '4403', organisationBody: 'MA1K4B7D' }));
    assert.throws(() => generateCreditCode({ regionCode: '440300', organisationBody: 'MA1K4B7O' }));
  });
});
