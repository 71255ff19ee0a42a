// Actions, subroutines and aggregating functions in one table: how many
// arguments each takes and whether this compiler implements it yet. The
// checker reports prototype errors from here (D_PROTO_LEN) and refuses
// what is not built yet with a clear message instead of a wrong answer.

export type FuncKind = 'action' | 'subr' | 'agg';

/** ParamKind is what a parameter accepts: an integer, a string, a pointer, or anything scalar. */
export type ParamKind = 'int' | 'string' | 'ptr' | 'scalar' | 'any';

/** PARAM_NAMES is how DTrace names each kind of parameter in prototype errors. */
export const PARAM_NAMES: Readonly<Record<ParamKind, string>> = {
  int: 'int', string: 'string', ptr: 'void *', scalar: 'uint64_t', any: '@',
};

export interface FuncDef {
  readonly kind: FuncKind;
  readonly min: number;
  /** Maximum argument count; Infinity for variadic functions. */
  readonly max: number;
  readonly supported: boolean;
  /** Parameter kinds, the last one repeating for variadic functions. */
  readonly params?: readonly ParamKind[];
}

function f(kind: FuncKind, min: number, max: number, supported = false, params?: ParamKind[]): FuncDef {
  return { kind, min, max, supported, params };
}

function s(min: number, max: number, ...params: ParamKind[]): FuncDef {
  return f('subr', min, max, false, params);
}

const V = Infinity;

/** FUNCS lists every D action, subroutine and aggregating function. */
export const FUNCS: Readonly<Record<string, FuncDef>> = {
  // actions
  trace: f('action', 1, 1, true),
  printf: f('action', 1, V, true),
  exit: f('action', 1, 1, true),
  printa: f('action', 1, V, true),
  print: f('action', 1, 1),
  tracemem: f('action', 2, 3),
  stack: f('action', 0, 1),
  ustack: f('action', 0, 2),
  jstack: f('action', 0, 2),
  speculate: f('action', 1, 1),
  commit: f('action', 1, 1),
  discard: f('action', 1, 1),
  clear: f('action', 1, 1, true),
  trunc: f('action', 1, 2, true),
  normalize: f('action', 2, 2, true),
  denormalize: f('action', 1, 1, true),
  setopt: f('action', 1, 2, false, ['string', 'string']),
  raise: f('action', 1, 1, false, ['int']),
  stop: f('action', 0, 0),
  system: f('action', 1, V, false, ['string', 'any']),
  breakpoint: f('action', 0, 0),
  panic: f('action', 0, 0),
  chill: f('action', 1, 1, false, ['int']),
  // copyout and copyoutstr are destructive subroutines (checked against their prototypes in library/subrs.ts).
  copyout: s(3, 3, 'ptr', 'scalar', 'int'),
  copyoutstr: s(3, 3, 'string', 'scalar', 'int'),
  freopen: f('action', 1, V, false, ['string', 'any']),
  ftruncate: f('action', 0, 0),
  pcap: f('action', 2, 2),
  printm: f('action', 2, 2),
  mod: f('action', 1, 1),
  sym: f('action', 1, 1),
  umod: f('action', 1, 1),
  usym: f('action', 1, 1),
  uaddr: f('action', 1, 1),
  func: f('action', 1, 1),
  ufunc: f('action', 1, 1),
  // aggregating functions
  count: f('agg', 0, 0, true),
  sum: f('agg', 1, 1, true),
  avg: f('agg', 1, 1, true),
  min: f('agg', 1, 1, true),
  max: f('agg', 1, 1, true),
  stddev: f('agg', 1, 1, true),
  quantize: f('agg', 1, 2, true),
  lquantize: f('agg', 3, 5, true),
  llquantize: f('agg', 5, 6, true),
  // subroutines
  alloca: s(1, 1, 'int'),
  basename: s(1, 1, 'string'),
  bcopy: s(3, 3, 'ptr', 'ptr', 'int'),
  cleanpath: s(1, 1, 'string'),
  copyin: s(2, 2, 'scalar', 'int'),
  copyinstr: s(1, 2, 'scalar', 'int'),
  copyinto: s(3, 3, 'scalar', 'int', 'ptr'),
  d_path: s(1, 1, 'ptr'),
  dirname: s(1, 1, 'string'),
  getmajor: s(1, 1, 'int'),
  getminor: s(1, 1, 'int'),
  htonl: s(1, 1, 'int'),
  htonll: s(1, 1, 'int'),
  htons: s(1, 1, 'int'),
  index: s(2, 3, 'string', 'string', 'int'),
  inet_ntoa: s(1, 1, 'ptr'),
  inet_ntoa6: s(1, 1, 'ptr'),
  inet_ntop: s(2, 2, 'int', 'ptr'),
  link_ntop: s(2, 2, 'int', 'ptr'),
  lltostr: s(1, 2, 'int', 'int'),
  mutex_owned: s(1, 1, 'ptr'),
  mutex_owner: s(1, 1, 'ptr'),
  mutex_type_adaptive: s(1, 1, 'ptr'),
  mutex_type_spin: s(1, 1, 'ptr'),
  ntohl: s(1, 1, 'int'),
  ntohll: s(1, 1, 'int'),
  ntohs: s(1, 1, 'int'),
  progenyof: s(1, 1, 'int'),
  rand: f('subr', 0, 0),
  rindex: s(2, 3, 'string', 'string', 'int'),
  rw_iswriter: s(1, 1, 'ptr'),
  rw_read_held: s(1, 1, 'ptr'),
  rw_write_held: s(1, 1, 'ptr'),
  speculation: f('subr', 0, 0),
  strchr: s(2, 2, 'string', 'int'),
  strjoin: s(2, 2, 'string', 'string'),
  strlen: s(1, 1, 'string'),
  strrchr: s(2, 2, 'string', 'int'),
  strstr: s(2, 2, 'string', 'string'),
  strtok: s(2, 2, 'string', 'string'),
  strtoll: s(1, 2, 'string', 'int'),
  substr: s(2, 3, 'string', 'int', 'int'),
  tolower: s(1, 1, 'string'),
  toupper: s(1, 1, 'string'),
  getpid: f('subr', 0, 0),
};
