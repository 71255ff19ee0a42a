// Parses every tst.*.d of the conformance corpus (when present), running cpp
// first where the test asks for -C, and checks that all of them parse. Type
// names that a real run gets from D libraries or kernel BTF are supplied here.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CompileError } from '../../../src/diag/diagnostic.js';
import { preprocess } from '../../../src/cli/cpp.js';
import type { CppArg } from '../../../src/cli/cpp.js';
import { parseProgram } from '../../../src/syntax/parser.js';

const ROOT = '/work/shared/conformance/suite/test/unittest';

/** Types the corpus takes from /usr/lib64/dtrace/*.d and BTF. */
const EXTERNAL_TYPES = new Set(['ipaddr_t', 'cpuinfo_t', 'psinfo_t', 'lwpsinfo_t', '__u8', '__u64', 'bool', 'hrtime_t']);

const VARS = { pid: '1', ppid: '1', uid: '0', gid: '0', target: '0', egid: '0', euid: '0', sid: '1', pgid: '1', projid: '0', taskid: '0' };

/** Tests that never compile their script (-V prints the version and exits). */
const NOT_COMPILED = /(^|\s)-V(\s|$)/;

function testOptions(dir: string, src: string): string {
  const local = /@@runtest-opts:([^*]*)\*\//.exec(src)?.[1] ?? '';
  const file = join(ROOT, dir, 'test.options');
  const shared = existsSync(file) ? readFileSync(file, 'utf8').replace('@@runtest-opts:', '') : '';
  return `${local} ${shared}`;
}

function cppArgs(opts: string): CppArg[] {
  const defs: CppArg[] = [{ kind: 'define', name: 'ARCH_x86_64' }];
  for (const m of opts.matchAll(/(?:-D|-xdefine=)(\S+)/g)) {
    const [name, ...value] = (m[1] as string).split('=');
    defs.push({ kind: 'define', name: name as string, value: value.length > 0 ? value.join('=') : undefined });
  }
  for (const m of opts.matchAll(/(?:-U|-xundef=)(\S+)/g)) defs.push({ kind: 'undef', name: m[1] as string });
  return defs;
}

/** parseTest returns '' when the test's script parses, or why it did not. */
function parseTest(dir: string, file: string): string {
  let src = readFileSync(join(ROOT, dir, file), 'utf8');
  const opts = testOptions(dir, src);
  if (NOT_COMPILED.test(opts)) return '';
  if (/(^|\s)(-[a-zA-Z]*C|-xcpp)(\s|$)/.test(opts)) {
    const r = preprocess(src, { args: cppArgs(opts) });
    if (!r.ok) return `cpp: ${r.stderr.trim()}`;
    src = r.text;
  }
  const args = opts.split(/\s+/).filter((a) => a !== '' && !a.startsWith('-'));
  try {
    parseProgram(src, {
      macros: { args: [file, ...args], vars: VARS },
      defaultArgs: true,
      argref: true,
      allowEmpty: /-xempty/.test(opts),
      isTypeName: (n) => EXTERNAL_TYPES.has(n),
    });
    return '';
  } catch (e) {
    if (!(e instanceof CompileError)) throw e;
    return `[${e.diag.tag}] line ${e.diag.pos?.line ?? 0}: ${e.diag.message}`;
  }
}

describe('conformance corpus', { skip: !existsSync(ROOT) }, () => {
  it('parses every tst.*.d', () => {
    const failures: string[] = [];
    let count = 0;
    for (const dir of readdirSync(ROOT).sort()) {
      for (const f of readdirSync(join(ROOT, dir)).sort()) {
        if (!f.startsWith('tst.') || !f.endsWith('.d')) continue;
        count++;
        const why = parseTest(dir, f);
        if (why !== '') failures.push(`${dir}/${f}: ${why}`);
      }
    }
    assert.ok(count > 0);
    assert.deepEqual(failures, [], `${failures.length} of ${count} failed to parse`);
  });
});
