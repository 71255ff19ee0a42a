// The type description print( ) records carry (src/layout/: shared by the
// compiler and the consumer). The compiler describes the printed type once,
// from the checked program's types (library/print.ts); the consumer formats
// the recorded bytes with this description alone (output/print.ts), never
// looking types up again. It holds what DTrace's type visit consults: names
// as DTrace prints them, sizes, member offsets, encodings and enumerators.

/** PrintType describes one type as print( ) walks it. */
export type PrintType =
  /**
   * An integer (or bit-field): `bits` is its width; a bit-field of a width
   * other than 8, 16, 32 or 64 is read as DTrace reads bit-fields. `char`
   * marks the type named `char`, printed as a character.
   */
  | { readonly k: 'int'; readonly name: string; readonly size: number; readonly bits: number; readonly signed: boolean; readonly char: boolean; readonly encodable: boolean; readonly charElem: boolean }
  | { readonly k: 'enum'; readonly name: string; readonly size: number; readonly values: readonly (readonly [string, number])[]; readonly encodable: boolean }
  | { readonly k: 'pointer'; readonly name: string; readonly size: 8 }
  | { readonly k: 'sou'; readonly name: string; readonly size: number; readonly members: readonly PrintMember[] }
  /** An array; `elem` is the element's description (its encoding decides whether elements print). */
  | { readonly k: 'array'; readonly name: string; readonly size: number; readonly count: number; readonly elem: PrintType }
  /** Floating point, functions and the like: visited but not printed. */
  | { readonly k: 'other'; readonly name: string; readonly size: number; readonly encodable: boolean };

/** PrintMember is one member of a struct or union: '' names an anonymous one. */
export interface PrintMember {
  readonly name: string;
  /** Offset in bits from the start of the enclosing struct or union. */
  readonly bitOffset: number;
  readonly type: PrintType;
}

/** Both print( ) and tracemem( ) records are described by an ActionDesc (RecordItem `desc`). */
export type ActionDesc =
  | { readonly kind: 'print'; readonly type: PrintType }
  /** tracemem( ): `dynamic` when a third argument (the size to print) was recorded after the bytes. */
  | { readonly kind: 'tracemem'; readonly dynamic: boolean }
  /** pcap( ): the pcapsize option the probe captured with (the capture file's snapshot length, the most bytes printed). */
  | { readonly kind: 'pcap'; readonly maxlen: number };
