/**
 * Every fixture in test/conformance/fixtures/constructs/ with a `<name>.expect.json` beside it, run through the
 * official client as its expect file says (support/fixture-cases.ts describes the format). Adding a construct's
 * fixture and its expect file adds its case here; no test code.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { discoverFixtureCases, expectRefused, expectCase } from '../support/fixture-cases.js';
import { startTestEngine, type TestEngine } from '../support/harness.js';

const files = await discoverFixtureCases();

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine();
});

afterAll(async () => {
  await t?.stop();
});

for (const { fixture, expectation } of files) {
  describe(`${fixture}`, () => {
    const { refused, cases = [], deployWith = [] } = expectation;
    if (refused) {
      it(`is refused at deployment, naming ${refused.join(', ')}`, async () => {
        await expectRefused(t, fixture, refused);
      });
      return;
    }
    beforeAll(async () => {
      await t.deploy(...deployWith, fixture);
    });
    for (const c of cases) {
      it(`${c.it}`, async () => {
        await expectCase(t, fixture, c);
      });
    }
  });
}
