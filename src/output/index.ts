/*
 * Output formatting for the dtrace command: C-style conversions, the
 * consumer's printf() and trace().  Format strings are parsed and checked
 * in src/format/.  Pure functions only; see the individual modules for
 * DTrace's rules.
 */

export * from './cformat.js';
export * from './printf.js';
export * from './trace.js';
