// Diagnostics are data: a D_* tag, a position and a message. Every stage
// reports user mistakes as a CompileError carrying one Diagnostic; only the
// CLI turns it into the text DTrace prints ("[D_TAG] line N: message").

/** Pos is a place in the (preprocessed) D source: 1-based line and column. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

/** Diagnostic is one user-facing compile error, worded as DTrace words it. */
export interface Diagnostic {
  /** DTrace's error tag, e.g. "D_SYNTAX"; shown with -xerrtags. '' for errors DTrace gives no tag (code generator limits). */
  readonly tag: string;
  readonly message: string;
  /** Where the error is; DTrace prints only the line. Absent for errors with no source position. */
  readonly pos?: Pos;
  /** The part of a clause being checked ('predicate', 'action list'): DTrace names it when there is no line. */
  readonly region?: string;
  /** The D library file the error is in (DTrace names it: `"file", line N:`); absent for the program itself. */
  readonly file?: string;
}

/** CompileError stops compilation at the first error, as DTrace does. */
export class CompileError extends Error {
  diag: Diagnostic;
  constructor(tag: string, message: string, pos?: Pos) {
    super(message);
    this.name = 'CompileError';
    this.diag = { tag, message, pos };
  }

  /** inFile places an error in a D library file, unless it already names one. */
  inFile(file: string): this {
    if (this.diag.file === undefined) this.diag = { ...this.diag, file };
    return this;
  }

  /** inRegion records the part of a clause the error was found in, unless already known ('' names none). */
  inRegion(region: string): this {
    if (this.diag.region === undefined) this.diag = { ...this.diag, region };
    return this;
  }
}

/** formatDiagnostic renders a diagnostic the way libdtrace builds dt_errmsg. */
export function formatDiagnostic(d: Diagnostic, errtags: boolean): string {
  const tag = errtags && d.tag !== '' ? `[${d.tag}] ` : '';
  const line = d.pos !== undefined && d.pos.line > 0 ? `line ${d.pos.line}: ` : d.region !== undefined && d.region !== '' ? `in ${d.region}: ` : '';
  const file = d.file !== undefined ? `"${d.file}", ` : '';
  return `${tag}${file}${line}${d.message}`;
}
