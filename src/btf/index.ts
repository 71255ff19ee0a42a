// Public face of the BTF module: the lazy reader (parseBtf/Btf), the writer
// (BtfWriter) and the view types. Callers read the bytes themselves (only
// src/kernel/ does I/O) and hand them to parseBtf.

export { parseBtf, Btf } from './btf.js';
export type { BtfHeader } from './btf.js';
export { BtfWriter } from './write.js';
export type { IntOptions, MemberSpec, ParamSpec } from './write.js';
export { findMember } from './members.js';
export type { FoundMember } from './members.js';
export * from './types.js';
