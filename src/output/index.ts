/*
 * Output formatting for the dtrace command: D format strings (parsing and
 * type checking), the consumer's printf(), trace() and record layout.
 * Pure functions only; see the individual modules for DTrace's rules.
 */

export * from './cformat.js';
export * from './format.js';
export * from './printf.js';
export * from './trace.js';
