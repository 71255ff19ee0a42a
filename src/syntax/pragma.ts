// Control lines (`#pragma ...`, `#line`, cpp's `# 12 "file"` markers, `#error`)
// as dt_pragma.c dispatches them while lexing: line markers renumber the
// input, the state-free checks of each D pragma raise DTrace's errors right
// away, and the pragmas later stages act on (option, attributes, binding,
// depends_on) are handed on as Pragma nodes.

import { CompileError } from '../diag/diagnostic.js';
import type { Pos } from '../diag/diagnostic.js';
import type { Pragma } from './ast.js';

/** ControlItem is one token of a control line: a word, a quoted string or an integer. */
export interface ControlItem {
  readonly kind: 'ident' | 'string' | 'int';
  /** The word, the decoded string, or the integer's text. */
  readonly text: string;
  readonly value?: bigint;
}

/** ControlHost is what the lexer lets a control line change. */
export interface ControlHost {
  /** The line after the control line is numbered `next`; `file` names the source when given. */
  setLine(next: number, file?: string): void;
  /** A pragma for later stages (already checked for what can be checked without state). */
  pragma(p: Pragma): void;
}

type PragmaKind = 0 | 1 | 2; // after `#`, after `#pragma`, after `#pragma D`

const DIR: PragmaKind = 0;
const SUB: PragmaKind = 1;
const DCP: PragmaKind = 2;

/** Directives and the least specific context each may follow, as dt_pragmas[]. */
const DIRECTIVES: ReadonlyMap<string, PragmaKind> = new Map<string, PragmaKind>([
  ['attributes', DCP],
  ['binding', DCP],
  ['depends_on', DCP],
  ['error', DIR],
  ['ident', DIR],
  ['line', DIR],
  ['option', DCP],
]);

const STABILITY = ['internal', 'private', 'obsolete', 'external', 'unstable', 'evolving', 'stable', 'standard'];
const CLASSES = ['unknown', 'cpu', 'platform', 'group', 'isa', 'common'];

/** validAttributes mirrors dtrace_str2attr: name[/data[/class]], case-insensitive. */
export function validAttributes(s: string): boolean {
  let rest = s;
  for (const table of [STABILITY, STABILITY, CLASSES]) {
    if (rest === '') return true;
    const slash = rest.indexOf('/');
    const part = slash < 0 ? rest : rest.slice(0, slash);
    rest = slash < 0 ? '' : rest.slice(slash + 1);
    if (!table.includes(part.toLowerCase())) return false;
  }
  return rest === '';
}

/** validVersion mirrors dt_version_str2num: up to three dot-separated decimal numbers. */
export function validVersion(s: string): boolean {
  const n = [0, 0, 0];
  let i = 0;
  for (const c of s) {
    if (c >= '0' && c <= '9') n[i] = (n[i] as number) * 10 + Number(c);
    else if (c !== '.' || i++ >= 2) return false;
  }
  return (n[0] as number) <= 0xff && (n[1] as number) <= 0xfff && (n[2] as number) <= 0xfff;
}

/**
 * runControlLine processes one control line. `pos` is where its `#` is; DTrace
 * reports directive errors on that line, but line-marker errors on the next.
 */
export function runControlLine(items: readonly ControlItem[], pos: Pos, host: ControlHost): void {
  let kind: PragmaKind = DIR;
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as ControlItem;
    if (it.kind === 'int') {
      lineDirective('line', items.slice(i), { line: pos.line + 1, col: pos.col }, host, 0);
      return;
    }
    if (it.kind !== 'ident') throw new CompileError('D_PRAGCTL_INVAL', 'invalid control directive', pos);
    if (kind === DIR && it.text === 'pragma') {
      kind = SUB;
      continue;
    }
    if (kind === SUB && it.text === 'D') {
      kind = DCP;
      continue;
    }
    const least = DIRECTIVES.get(it.text);
    if (least !== undefined && least <= kind) {
      directive(it.text, items.slice(i + 1), items.slice(0, i + 1), pos, host);
      return;
    }
    if (kind === DIR) throw new CompileError('D_PRAGCTL_INVAL', `invalid control directive: #${it.text}`, pos);
    if (kind === DCP) throw new CompileError('D_PRAGMA_INVAL', `invalid D pragma: ${it.text}`, pos);
    return; // K&R: unknown non-D pragmas are ignored
  }
}

function directive(
  name: string,
  args: readonly ControlItem[],
  head: readonly ControlItem[],
  pos: Pos,
  host: ControlHost,
): void {
  switch (name) {
    case 'error':
      throw new CompileError('D_PRAGERR', `#error: ${errorText(args)}`, pos);
    case 'ident':
      return;
    case 'line':
      // dt_pragma steps back a line before the directive and forward after it.
      lineDirective('line', args, pos, host, 1);
      return;
    case 'option':
      checkOption(args, pos);
      break;
    case 'attributes':
      checkAttributes(args, pos);
      break;
    case 'binding':
      checkBinding(args, pos);
      break;
    case 'depends_on':
      checkDepends(args, pos);
      break;
  }
  const words = [...head, ...args].map((it) => it.text);
  host.pragma({ kind: 'Pragma', pos, words: words.slice(1) });
}

/** errorText joins words and strings each followed by a space, as dt_pragma_error. */
function errorText(args: readonly ControlItem[]): string {
  return args
    .filter((a) => a.kind !== 'int')
    .map((a) => a.text + ' ')
    .join('');
}

function lineDirective(
  prname: string,
  items: readonly ControlItem[],
  pos: Pos,
  host: ControlHost,
  bump: number,
): void {
  const [num, file, ...flags] = items;
  const malformed = (): CompileError =>
    new CompileError('D_PRAGMA_MALFORM', `malformed #${prname} <line> [ ["file"] state ]`, pos);
  if (num === undefined || num.kind !== 'int') throw malformed();
  if (file !== undefined && file.kind !== 'string') throw malformed();
  if (flags.some((f) => f.kind !== 'int')) throw malformed();
  const next = Number(num.value ?? 0n) + bump;
  host.setLine(next, file?.text);
}

function checkOption(args: readonly ControlItem[], pos: Pos): void {
  const [opt] = args;
  if (opt === undefined || opt.kind !== 'ident') {
    throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma option <option>=<val>', pos);
  }
  if (args.length > 1) {
    throw new CompileError('D_PRAGMA_MALFORM', 'superfluous arguments specified for #pragma option', pos);
  }
}

function checkAttributes(args: readonly ControlItem[], pos: Pos): void {
  const [attr, ident] = args;
  if (attr?.kind !== 'ident' || ident?.kind !== 'ident') {
    throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma attributes <attributes> <ident>', pos);
  }
  if (!validAttributes(attr.text)) {
    throw new CompileError('D_PRAGMA_INVAL', 'invalid attributes specified by #pragma attributes', pos);
  }
}

function checkBinding(args: readonly ControlItem[], pos: Pos): void {
  const [vers, ident] = args;
  if (vers?.kind !== 'string' || ident?.kind !== 'ident') {
    throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma binding "version" <ident>', pos);
  }
  if (!validVersion(vers.text)) {
    throw new CompileError('D_PRAGMA_INVAL', 'invalid version string specified by #pragma binding', pos);
  }
}

function checkDepends(args: readonly ControlItem[], pos: Pos): void {
  const [cls, name] = args;
  if (cls?.kind !== 'ident' || name?.kind !== 'ident') {
    throw new CompileError('D_PRAGMA_MALFORM', 'malformed #pragma depends_on <class> <name>', pos);
  }
  if (!['provider', 'module', 'library'].includes(cls.text)) {
    throw new CompileError('D_PRAGMA_INVAL', `invalid class ${cls.text} specified by #pragma depends_on`, pos);
  }
}
