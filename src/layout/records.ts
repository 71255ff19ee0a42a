// Record layouts (src/layout/: what the compiler and the consumer share):
// what each clause writes into its ring-buffer record, item by item, at
// offsets fixed at compile time by codegen/clause.ts. The consumer
// (consume/decode.ts) decodes records with these descriptions alone; no
// metadata travels with the data.

import type { ParsedFormat } from '../format/printf.js';
import type { ActionDesc } from './printtype.js';

/** Slot is one recorded value: where it is in the record and how to read it. */
export interface Slot {
  readonly offset: number;
  readonly kind: 'int' | 'string' | 'bytes';
  /** Bytes: 1/2/4/8 for integers, strsize for strings, the object's size for raw bytes (structs, arrays). */
  readonly size: number;
  readonly signed: boolean;
}

/**
 * RecordItem is one data-recording action of a clause, in execution order.
 * `flag`, when set, is the offset of a byte that is non-zero only if the
 * action ran (actions under `if` may not).
 */
export type RecordItem =
  | { readonly kind: 'trace'; readonly value: Slot; readonly flag?: number }
  | { readonly kind: 'printf'; readonly format: ParsedFormat; readonly args: Slot[]; readonly flag?: number }
  | { readonly kind: 'exit'; readonly value: Slot; readonly flag?: number }
  /** printa: the consumer prints aggregations `aggs` (ids) when it reads the record. */
  | { readonly kind: 'printa'; readonly aggs: number[]; readonly format?: ParsedFormat; readonly flag?: number }
  /** clear/trunc/normalize/denormalize of aggregation `agg`, with trunc's count or normalize's factor. */
  | { readonly kind: 'aggop'; readonly op: 'clear' | 'trunc' | 'normalize' | 'denormalize'; readonly agg: number; readonly value?: Slot; readonly flag?: number }
  /** Any other action (library/actions.ts): its recorded values, carried out by output/actions.ts. */
  | { readonly kind: 'action'; readonly name: string; readonly values: Slot[]; readonly format?: ParsedFormat; readonly desc?: ActionDesc; readonly flag?: number };

/** StatementRecord describes the record of one clause (statement id = clause index). */
export interface StatementRecord {
  readonly stid: number;
  /** Total record size in bytes, header included. */
  readonly size: number;
  readonly items: RecordItem[];
}
