// Turning kernel failures into the one-line messages dtrace prints: what
// the kernel refused and why, never a raw verifier dump.

import { KernelError, NotSupportedError, PermissionError, VerifierError } from '../kernel/index.js';
import { EnableError } from '../session/session.js';

/** Fatal is an error dtrace(1) reports as `dtrace: MESSAGE`, exiting with `status`. */
export class Fatal extends Error {
  constructor(message: string, readonly status = 1) {
    super(message);
  }
}

/** describeKernelError words a failure to load or attach the programs. */
export function describeKernelError(e: unknown): string {
  if (e instanceof EnableError) return `could not enable tracing: ${e.message}`;
  if (e instanceof PermissionError) return `failed to initialize dtrace: ${e.message}`;
  if (e instanceof VerifierError) {
    const s = e.summary;
    return `could not enable tracing: BPF program rejected by the kernel verifier: ${s}`;
  }
  if (e instanceof NotSupportedError) return `could not enable tracing: ${e.message}`;
  if (e instanceof KernelError) return `could not enable tracing: ${e.message}`;
  throw e;
}
