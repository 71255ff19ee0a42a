// Shared helpers for the code generator tests: compile D text through the
// real pipeline without probe matching (session/compile.ts, noProbes), link
// all clauses into one probe program as the session would, and assemble it.

import { assemble, type Assembled } from '../../../src/bpf/index.js';
import { linkProbeProgram } from '../../../src/codegen/program.js';
import { State } from '../../../src/layout/memory.js';
import { Options } from '../../../src/sema/options.js';
import { compile, type Compiled } from '../../../src/session/compile.js';

/** compileD compiles one script; `opts` are -x style name=value settings ("quiet", "strsize=32"). */
export function compileD(text: string, opts: readonly string[] = []): Compiled {
  const options = new Options();
  for (const o of opts) {
    const eq = o.indexOf('=');
    const err = eq < 0 ? options.set(o, undefined, false) : options.set(o.slice(0, eq), o.slice(eq + 1), false);
    if (err !== undefined) throw new Error(`bad test option ${o}: ${err}`);
  }
  return compile([{ kind: 'script', name: 'test.d', text }], { options, parse: {}, noProbes: true });
}

/**
 * linkAll links every clause of a compiled script into one program, as for
 * a probe (id 1, BEGIN's state) that all clauses are enabled on, with no
 * ERROR clauses, and assembles it.
 */
export function linkAll(c: Compiled): Assembled {
  const clauses = c.checked.clauses.map((cl, i) => ({ index: cl.index, epid: i + 1 }));
  return assemble(linkProbeProgram(c.generated, { prid: 1, state: State.INACTIVE, args: { kind: 'none' }, clauses }, []));
}
