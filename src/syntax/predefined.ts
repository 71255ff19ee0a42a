// The typedefs every D program starts with, by name and by the C type each
// stands for (LP64). This is the one table of them: the parser knows these
// names as type names before any declaration (casts such as `(uint_t)1`),
// and sema/types.ts gives each name its type from the C spelling here.
// dtrace-utils' "D" container has the <sys/types.h> names; its D library
// adds caddr_t and processorid_t; the rest are documented D types.

/** PREDEFINED_TYPEDEFS lists [name, C type] pairs; a C type is keywords with an optional trailing `*`. */
export const PREDEFINED_TYPEDEFS: readonly (readonly [name: string, c: string])[] = [
  ['int8_t', 'signed char'],
  ['int16_t', 'short'],
  ['int32_t', 'int'],
  ['int64_t', 'long'],
  ['intptr_t', 'long'],
  ['ssize_t', 'long'],
  ['uint8_t', 'unsigned char'],
  ['uint16_t', 'unsigned short'],
  ['uint32_t', 'unsigned int'],
  ['uint64_t', 'unsigned long'],
  ['uchar_t', 'unsigned char'],
  ['ushort_t', 'unsigned short'],
  ['uint_t', 'unsigned int'],
  ['ulong_t', 'unsigned long'],
  ['u_longlong_t', 'unsigned long long'],
  ['longlong_t', 'long long'],
  ['ptrdiff_t', 'long'],
  ['uintptr_t', 'unsigned long'],
  ['size_t', 'unsigned long'],
  ['off_t', 'long'],
  ['id_t', 'int'],
  ['pid_t', 'int'],
  ['uid_t', 'unsigned int'],
  ['gid_t', 'unsigned int'],
  ['processorid_t', 'int'],
  ['hrtime_t', 'long long'],
  ['dtrace_id_t', 'unsigned int'],
  ['dtrace_epid_t', 'unsigned int'],
  ['boolean_t', 'int'],
  ['caddr_t', 'char *'],
];

/** PREDEFINED_TYPE_NAMES is the set of the table's names, for the lexer and parser. */
export const PREDEFINED_TYPE_NAMES: ReadonlySet<string> = new Set(PREDEFINED_TYPEDEFS.map(([n]) => n));
