import { constants, createDeflateRaw, deflateRawSync } from "node:zlib";

interface ZlibHandle {
  writeSync(flush: number, input: Uint8Array, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  reset(): void;
}

interface KeptStream {
  _handle?: ZlibHandle;
  _writeState?: Uint32Array;
  on(event: "error", listener: (err: Error) => void): unknown;
}

/** Inputs up to this size go through the kept stream; larger ones are rare and take deflateRawSync. */
const MAX_KEPT_INPUT = 32 * 1024;

/**
 * Raw deflate with a preset dictionary on one zlib stream kept for the life
 * of the process. `deflateRawSync` builds a Transform stream and a native
 * zlib state (about 25 KB, with the dictionary hashed again) for every call
 * and tears them down after; for the ~1 KB body of a step that costs more
 * than compressing it, and in a busy process (fresh memory, garbage, cache
 * misses) it measured three times its micro-benchmark cost. Node has no
 * public synchronous call on a kept stream, so this drives the stream's
 * native handle as `deflateRawSync` itself does: one `writeSync` with
 * Z_FINISH, then `reset`, which restores the dictionary. The output is
 * compared with `deflateRawSync`'s when the deflater is made, and any
 * surprise (no handle, a failed write, an output that does not fit) falls
 * back to `deflateRawSync`, so the stored bytes are the same either way.
 */
export class RawDeflater {
  private readonly options: { dictionary: Buffer; windowBits: number; memLevel: number; chunkSize: number };
  private readonly out = Buffer.allocUnsafe(MAX_KEPT_INPUT + 1024);
  private stream: KeptStream | undefined;
  private failed = false;

  constructor(dictionary: Buffer, windowBits: number, memLevel: number) {
    this.options = { dictionary, windowBits, memLevel, chunkSize: 1024 };
    this.stream = this.keep();
  }

  /** Whether calls go through the kept stream (false: deflateRawSync each time). */
  get kept(): boolean {
    return this.stream !== undefined;
  }

  deflate(input: Uint8Array): Buffer {
    const kept = this.stream && input.length <= MAX_KEPT_INPUT ? this.deflateKept(input) : undefined;
    return kept ?? deflateRawSync(input, this.options);
  }

  private deflateKept(input: Uint8Array): Buffer | undefined {
    const handle = this.stream!._handle!;
    const state = this.stream!._writeState!;
    try {
      handle.writeSync(constants.Z_FINISH, input, 0, input.length, this.out, 0, this.out.length);
      const availOut = state[0]!;
      const availIn = state[1]!;
      this.stream!._handle?.reset();
      if (this.failed || !this.stream!._handle || availIn !== 0 || availOut === 0) throw new Error("incomplete deflate");
      return Buffer.from(this.out.subarray(0, this.out.length - availOut));
    } catch {
      // The handle is in an unknown state: stop using it.
      this.stream = undefined;
      return undefined;
    }
  }

  private keep(): KeptStream | undefined {
    try {
      const stream = createDeflateRaw(this.options) as unknown as KeptStream;
      if (typeof stream._handle?.writeSync !== "function" || typeof stream._handle.reset !== "function" || !stream._writeState) return undefined;
      stream.on("error", () => {
        this.failed = true;
      });
      this.stream = stream;
      const sample = Buffer.concat([this.options.dictionary.subarray(-200), Buffer.from(" a sample that is not in the dictionary ")]);
      const ok = [sample, sample.subarray(0, 10), Buffer.alloc(0)].every((s) => this.deflateKept(s)?.equals(deflateRawSync(s, this.options)));
      return ok ? stream : undefined;
    } catch {
      return undefined;
    }
  }
}
