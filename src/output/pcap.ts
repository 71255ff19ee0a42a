// pcap( ) in the consumer: the bytes of a libpcap capture file (the format
// pcap_dump_open( ) and pcap_dump( ) write: a 24-byte file header, then a
// 16-byte header and the data of each packet, in the host's byte order,
// microsecond timestamps), and the packet a record carries. Where the
// packets go (the file freopen( ) named, a tshark pipe) is the consumer's
// business (ActionIO.pcap); this file only makes bytes.

import type { TraceValue } from './trace.js';

/** PcapPacket is one pcap( ) record: time since boot (ns), link type (a DLT_* number), captured bytes. */
export interface PcapPacket {
  readonly time: bigint;
  readonly linktype: number;
  readonly data: Uint8Array;
  /** The pcapsize option the probe captured with: the file's snapshot length. */
  readonly maxlen: number;
}

/** CaptureResult says whether a packet went to a capture (else it prints as bytes) and why it could not be saved. */
export interface CaptureResult {
  readonly sent: boolean;
  readonly error?: string;
}

/** PcapCapture is where the consumer sends packets: a capture file or tshark. */
export interface PcapCapture {
  capture(p: PcapPacket): CaptureResult;
}

/** DLT numbers below libpcap's matching range whose capture-file LINKTYPE differs or is known (libpcap's dlt_to_linktype). */
const DLT_TO_LINKTYPE: ReadonlyMap<number, number> = new Map([
  [0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7], [8, 8], [9, 9], [10, 10],
  [11, 100], [12, 101], [15, 102], [16, 103], [19, 106], [50, 50], [51, 51], [99, 99],
]);

/** libpcap's range of DLT numbers that are their own LINKTYPE (DLT_MATCHING_MIN..MAX of libpcap 1.10). */
const MATCHING_MIN = 104;
const MATCHING_MAX = 289;

/** linktypeOf is the LINKTYPE a capture file records for a DLT number; undefined when libpcap cannot save it. */
export function linktypeOf(dlt: number): number | undefined {
  if (dlt >= MATCHING_MIN && dlt <= MATCHING_MAX) return dlt;
  return DLT_TO_LINKTYPE.get(dlt);
}

const NS_PER_S = 1_000_000_000n;

/** pcapFileHeader is a capture file's header: magic, version 2.4, no zone, the snapshot length and link type. */
export function pcapFileHeader(linktype: number, snaplen: number): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snaplen, true);
  v.setUint32(20, linktype, true);
  return b;
}

/**
 * pcapPacketBytes is one packet as pcap_dump( ) writes it: the time is the
 * boot time (seconds since the epoch, as DTrace takes it when it opens the
 * capture) plus the probe's time since boot; the captured and the original
 * length are both the bytes the probe captured.
 */
export function pcapPacketBytes(p: PcapPacket, boottime: number): Uint8Array {
  const b = new Uint8Array(16 + p.data.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, (boottime + Number(p.time / NS_PER_S)) >>> 0, true);
  v.setUint32(4, Number((p.time % NS_PER_S) / 1000n), true);
  v.setUint32(8, p.data.length, true);
  v.setUint32(12, p.data.length, true);
  b.set(p.data, 16);
  return b;
}

/** pcapPacket reads a pcap( ) record: undefined when the probe captured nothing (a NULL skb), which prints nothing. */
export function pcapPacket(values: readonly TraceValue[], maxlen: number): PcapPacket | undefined {
  const [time, len, proto, data] = values;
  if (time?.kind !== 'int' || len?.kind !== 'int' || proto?.kind !== 'int' || data?.kind !== 'bytes') {
    throw new Error('BUG: malformed pcap( ) record');
  }
  const n = Number(BigInt.asUintN(32, len.value));
  if (n === 0) return undefined;
  return {
    time: BigInt.asUintN(64, time.value),
    linktype: Number(BigInt.asIntN(32, proto.value)),
    data: data.data.subarray(0, Math.min(n, maxlen, data.data.length)),
    maxlen,
  };
}
