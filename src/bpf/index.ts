// The eBPF toolkit's public face: opcodes, instructions, builders, the
// assembler/linker, the helper table and the disassembler. Other modules
// import from here rather than from the individual files.

export * from './opcode.js';
export * from './insn.js';
export * from './build.js';
export * from './assemble.js';
export * from './helpers.js';
export * from './disasm.js';
export * from './funcinfo.js';
