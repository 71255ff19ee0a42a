// Golden disassembly: each test/golden/codegen/*.d is compiled (no probe
// matching), its clauses are linked into one program as for a probe that all
// clauses are enabled on (probe id 1, BEGIN's state, no ERROR clauses), and
// the record layouts plus the disassembly (src/bpf/disasm.ts, with label
// lines) must equal the .txt file beside it.
//
// After a deliberate change to code generation, regenerate the goldens with
//   npx tsc -p . && UPDATE_GOLDEN=1 node --test dist/test/unit/codegen/golden.test.js
// and review the diff of test/golden/codegen/*.txt before committing it.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { disassemble } from '../../../src/bpf/index.js';
import type { Slot } from '../../../src/layout/records.js';
import { compileD, linkAll } from './helpers.js';

// Compiled to dist/test/unit/codegen/; the goldens stay in the source tree.
const DIR = fileURLToPath(new URL('../../../../test/golden/codegen/', import.meta.url));

function slot(s: Slot): string {
  return `${s.offset}:${s.size}${s.kind === 'string' ? 'str' : s.signed ? 's' : 'u'}`;
}

/** render is the golden text of one script. */
function render(text: string): string {
  const c = compileD(text);
  const g = c.generated;
  const lines = [`; strsize ${g.strsize}, scratch ${g.scratch.size} bytes (records at ${g.scratch.recOff}), globals ${g.globalsSize} bytes`];
  for (const r of g.records) {
    const items = r.items.map((it) => {
      const flag = it.flag === undefined ? '' : `?${it.flag}`;
      if (it.kind === 'printf') return `printf(${it.args.map(slot).join(',')})${flag}`;
      if (it.kind === 'trace' || it.kind === 'exit') return `${it.kind}@${slot(it.value)}${flag}`;
      return `${(it as { kind: string }).kind}${flag}`;
    });
    lines.push(`; record ${r.stid}: ${r.size} bytes: ${items.join(' ') || '(header only)'}`);
  }
  const asm = linkAll(c);
  return `${lines.join('\n')}\n${disassemble(asm.insns, { labels: asm.labels, relocations: asm.relocations, labelLines: true })}`;
}

describe('codegen goldens', () => {
  const files = readdirSync(DIR).filter((n) => n.endsWith('.d')).sort();
  it('there are golden scripts', () => assert.ok(files.length >= 4));
  for (const f of files) {
    it(f, () => {
      const actual = render(readFileSync(DIR + f, 'utf8'));
      const golden = DIR + f.replace(/\.d$/, '.txt');
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, actual);
      assert.equal(actual, readFileSync(golden, 'utf8'));
    });
  }
});
