// The output stream as freopen( ) and ftruncate( ) change it: freopen(path)
// sends later output to a file opened for appending, freopen("") goes back
// to the output dtrace started with (stdout or -o), ftruncate( ) empties the
// current file. Failures are returned in strerror's words, for DTrace's
// "couldn't freopen()" message.

import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { errnoMessage } from '../kernel/index.js';
import type { OutputFile } from '../output/text.js';

/** The writer whose descriptor changes: it flushes to the old file before the switch. */
export interface Retargetable {
  fd: number;
  flush(): void;
}

function why(e: unknown): string {
  const errno = (e as NodeJS.ErrnoException).errno;
  return errno !== undefined ? errnoMessage(Math.abs(errno)) : (e as Error).message;
}

export class ReopenableOutput implements OutputFile {
  private readonly original: number;
  /** The descriptor freopen( ) opened, while one is in use. */
  private opened: number | undefined;

  constructor(private readonly w: Retargetable) {
    this.original = w.fd;
  }

  reopen(path: string | undefined): string | undefined {
    this.w.flush();
    let fd = this.original;
    if (path !== undefined) {
      try {
        fd = openSync(path, 'a');
      } catch (e) {
        return why(e);
      }
    }
    this.close();
    this.w.fd = fd;
    this.opened = path === undefined ? undefined : fd;
    return undefined;
  }

  /**
   * stdout is the descriptor a command run by system( ) writes to: DTrace's
   * freopen( ) reopens the C stream it prints to, which is stdout itself
   * unless -o gave another file.
   */
  stdout(): number {
    return this.original === 1 ? this.w.fd : 1;
  }

  truncate(): void {
    this.w.flush();
    try {
      ftruncateSync(this.w.fd, 0);
    } catch {
      // DTrace ignores the failure: a terminal or a pipe cannot be truncated.
    }
  }

  /** close closes the file freopen( ) opened; output goes back to the original. */
  close(): void {
    if (this.opened !== undefined) closeSync(this.opened);
    this.opened = undefined;
    this.w.fd = this.original;
  }
}
