// Actions, subroutines and aggregating functions in one table: how many
// arguments each takes and whether this compiler implements it yet. The
// checker reports prototype errors from here (D_PROTO_LEN) and refuses
// what is not built yet with a clear message instead of a wrong answer.

export type FuncKind = 'action' | 'subr' | 'agg';

export interface FuncDef {
  readonly kind: FuncKind;
  readonly min: number;
  /** Maximum argument count; Infinity for variadic functions. */
  readonly max: number;
  readonly supported: boolean;
}

function f(kind: FuncKind, min: number, max: number, supported = false): FuncDef {
  return { kind, min, max, supported };
}

const V = Infinity;

/** FUNCS lists every D action, subroutine and aggregating function. */
export const FUNCS: Readonly<Record<string, FuncDef>> = {
  // actions
  trace: f('action', 1, 1, true),
  printf: f('action', 1, V, true),
  exit: f('action', 1, 1, true),
  printa: f('action', 1, V),
  print: f('action', 1, 1),
  tracemem: f('action', 2, 3),
  stack: f('action', 0, 1),
  ustack: f('action', 0, 2),
  jstack: f('action', 0, 2),
  speculate: f('action', 1, 1),
  commit: f('action', 1, 1),
  discard: f('action', 1, 1),
  clear: f('action', 1, 1),
  trunc: f('action', 1, 2),
  normalize: f('action', 2, 2),
  denormalize: f('action', 1, 1),
  setopt: f('action', 1, 2),
  raise: f('action', 1, 1),
  stop: f('action', 0, 0),
  system: f('action', 1, V),
  breakpoint: f('action', 0, 0),
  panic: f('action', 0, 0),
  chill: f('action', 1, 1),
  copyout: f('action', 3, 3),
  copyoutstr: f('action', 3, 3),
  freopen: f('action', 1, V),
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
  count: f('agg', 0, 0),
  sum: f('agg', 1, 1),
  avg: f('agg', 1, 1),
  min: f('agg', 1, 1),
  max: f('agg', 1, 1),
  stddev: f('agg', 1, 1),
  quantize: f('agg', 1, 2),
  lquantize: f('agg', 3, 5),
  llquantize: f('agg', 5, 6),
  // subroutines
  alloca: f('subr', 1, 1),
  basename: f('subr', 1, 1),
  bcopy: f('subr', 3, 3),
  cleanpath: f('subr', 1, 1),
  copyin: f('subr', 2, 2),
  copyinstr: f('subr', 1, 2),
  copyinto: f('subr', 3, 3),
  d_path: f('subr', 1, 1),
  dirname: f('subr', 1, 1),
  getmajor: f('subr', 1, 1),
  getminor: f('subr', 1, 1),
  htonl: f('subr', 1, 1),
  htonll: f('subr', 1, 1),
  htons: f('subr', 1, 1),
  index: f('subr', 2, 3),
  inet_ntoa: f('subr', 1, 1),
  inet_ntoa6: f('subr', 1, 1),
  inet_ntop: f('subr', 2, 2),
  link_ntop: f('subr', 2, 2),
  lltostr: f('subr', 1, 2),
  mutex_owned: f('subr', 1, 1),
  mutex_owner: f('subr', 1, 1),
  mutex_type_adaptive: f('subr', 1, 1),
  mutex_type_spin: f('subr', 1, 1),
  ntohl: f('subr', 1, 1),
  ntohll: f('subr', 1, 1),
  ntohs: f('subr', 1, 1),
  progenyof: f('subr', 1, 1),
  rand: f('subr', 0, 0),
  rindex: f('subr', 2, 3),
  rw_iswriter: f('subr', 1, 1),
  rw_read_held: f('subr', 1, 1),
  rw_write_held: f('subr', 1, 1),
  speculation: f('subr', 0, 0),
  strchr: f('subr', 2, 2),
  strjoin: f('subr', 2, 2),
  strlen: f('subr', 1, 1),
  strrchr: f('subr', 2, 2),
  strstr: f('subr', 2, 2),
  strtok: f('subr', 2, 2),
  substr: f('subr', 2, 3),
  tolower: f('subr', 1, 1),
  toupper: f('subr', 1, 1),
  getpid: f('subr', 0, 0),
};
