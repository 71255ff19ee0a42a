// The consumer's own process identity as the kernel sees it, for the
// macro variables $pgid and $sid (Node has no getpgid/getsid).
import { readFileSync } from 'node:fs';

export interface ProcessIds {
  readonly pgid: number;
  readonly sid: number;
}

/** selfProcessIds reads the process group and session from /proc/self/stat (fields 5 and 6, after the parenthesised comm). */
export function selfProcessIds(): ProcessIds {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pgid: Number(rest[2]), sid: Number(rest[3]) };
  } catch {
    return { pgid: 0, sid: 0 };
  }
}
