// Where pcap( ) packets go, decided per packet as dtrace-utils decides:
// to the file freopen( ) named while output goes to one (a capture file per
// path, truncated when its first packet comes, its link type the first
// packet's); otherwise to tshark (`tshark -l -i -`, started on the first
// packet if `tshark -v` runs, unprivileged), whose decoded lines are
// printed with a "pcap" prefix; otherwise nowhere, and the record prints
// its bytes. Packets of another link type than a capture's first are
// dropped, as libpcap cannot mix them; DTrace drops them silently, we say so.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { uptime } from 'node:os';
import { linktypeOf, pcapFileHeader, pcapPacketBytes, type CaptureResult, type PcapCapture, type PcapPacket } from '../output/pcap.js';

/** What dtrace-utils runs tshark as when it is root: an unprivileged uid (its UNPRIV_UID, -3) and home. */
const UNPRIV_ID = 0xfffffffd;
const UNPRIV_HOME = '/run/initramfs';

interface Capture {
  readonly linktype: number;
  readonly boottime: number;
  write(b: Uint8Array): void;
  close(): void;
}

/** bootTime is the boot time in seconds since the epoch, as DTrace takes it (now less the uptime, both whole seconds). */
function bootTime(): number {
  return Math.floor(Date.now() / 1000) - Math.floor(uptime());
}

export class PcapOutput implements PcapCapture {
  private readonly captures = new Map<string, Capture>();
  /** undefined: not tried yet; null: tshark cannot run. */
  private tshark: ChildProcess | null | undefined;

  /** `path` is the file freopen( ) named, if any; `write` prints tshark's lines to the consumer's output. */
  constructor(private readonly path: () => string | undefined, private readonly write: (s: string) => void) {}

  capture(p: PcapPacket): CaptureResult {
    const path = this.path() ?? (this.startTshark() ? '' : undefined);
    if (path === undefined) return { sent: false };
    let c = this.captures.get(path);
    if (c === undefined) {
      const linktype = linktypeOf(p.linktype);
      if (linktype === undefined) return { sent: true, error: `pcap( ) link type ${p.linktype} cannot be saved in a capture file` };
      try {
        c = path === '' ? this.pipeCapture(linktype) : fileCapture(path, linktype);
      } catch (e) {
        return { sent: true, error: `pcap( ) cannot open "${path}": ${(e as Error).message}` };
      }
      c.write(pcapFileHeader(linktype, p.maxlen));
      this.captures.set(path, c);
    } else if (linktypeOf(p.linktype) !== c.linktype) {
      return { sent: true, error: `pcap( ) link type ${p.linktype} differs from the capture's first packet's; packet dropped` };
    }
    c.write(pcapPacketBytes(p, c.boottime));
    return { sent: true };
  }

  /** startTshark starts tshark on the first packet that needs it; false when it cannot run. */
  private startTshark(): boolean {
    if (this.tshark === undefined) {
      this.tshark = null;
      const v = spawnSync('tshark', ['-v'], { stdio: 'ignore' });
      if (v.status !== 0) return false;
      const root = process.getuid?.() === 0;
      const child = spawn('tshark', ['-l', '-i', '-'], {
        cwd: '/',
        stdio: ['pipe', 'pipe', 'ignore'],
        env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', HOME: UNPRIV_HOME, SHELL: '/bin/sh', USER: 'nobody' },
        ...root ? { uid: UNPRIV_ID, gid: UNPRIV_ID } : {},
      });
      let rest = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (s: string) => {
        const lines = (rest + s).split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) this.write(`pcap \t${l}\n`);
      });
      child.stdout?.on('end', () => { if (rest !== '') this.write(`pcap \t${rest}`); });
      child.on('error', () => { this.tshark = null; });
      child.stdin?.on('error', () => { this.tshark = null; });
      this.tshark = child;
    }
    return this.tshark !== null;
  }

  private pipeCapture(linktype: number): Capture {
    const stdin = this.tshark?.stdin;
    if (stdin == null) throw new Error('tshark is not running');
    return { linktype, boottime: bootTime(), write: (b) => { stdin.write(b); }, close: () => stdin.end() };
  }

  /** close writes out and closes every capture; tshark prints the rest of its lines and ends. */
  async close(): Promise<void> {
    for (const c of this.captures.values()) c.close();
    this.captures.clear();
    const t = this.tshark;
    if (t != null && t.exitCode === null) await new Promise<void>((resolve) => t.on('close', () => resolve()));
  }
}

function fileCapture(path: string, linktype: number): Capture {
  const fd = openSync(path, 'w');
  return { linktype, boottime: bootTime(), write: (b) => { writeSync(fd, b); }, close: () => closeSync(fd) };
}
