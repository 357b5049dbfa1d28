import { randomBytes } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BODY_DICTIONARY } from "../../checkpoints/compress.js";
import { RawDeflater } from "../../checkpoints/deflate.js";

describe("RawDeflater", () => {
  it("writes exactly what deflateRawSync writes, call after call", () => {
    const deflater = new RawDeflater(BODY_DICTIONARY, 12, 4);
    expect(deflater.kept).toBe(true);
    const text = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => `word${i % 97} `).join("").slice(0, n));
    const inputs = [
      Buffer.alloc(0), Buffer.from("x"), BODY_DICTIONARY.subarray(100, 700), text(1_000), randomBytes(2_000),
      text(31_000), randomBytes(40_000), text(100_000), text(500),
    ];
    for (const input of [...inputs, ...inputs.reverse()]) {
      const expected = deflateRawSync(input, { dictionary: BODY_DICTIONARY, windowBits: 12, memLevel: 4 });
      const actual = deflater.deflate(input);
      expect(actual.equals(expected)).toBe(true);
      expect(inflateRawSync(actual, { dictionary: BODY_DICTIONARY }).equals(input)).toBe(true);
    }
    expect(deflater.kept).toBe(true);
  });
});
