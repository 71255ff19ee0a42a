// Golden tests: each test/golden/parser/*.d is parsed and dumped, and the dump
// must equal the .ast file beside it. Run with UPDATE_GOLDEN=1 to rewrite them.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { dumpProgram } from '../../../src/syntax/dump.js';
import { parseProgram } from '../../../src/syntax/parser.js';

// Compiled to dist/test/unit/syntax/; the goldens stay in the source tree.
const DIR = fileURLToPath(new URL('../../../../test/golden/parser/', import.meta.url));

describe('parser goldens', () => {
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.d')).sort()) {
    it(f, () => {
      const actual = dumpProgram(parseProgram(readFileSync(DIR + f, 'utf8')));
      const golden = DIR + f.replace(/\.d$/, '.ast');
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, actual);
      assert.equal(actual, readFileSync(golden, 'utf8'));
    });
  }
});
