import { describe, expect, it } from "vitest";
import { ItemCache, StateCache, evictOldest } from "../../checkpoints/state.js";

describe("in-process caches", () => {
  it("evict the oldest entries in chunks, never beyond capacity and never the newest", () => {
    const map = new Map<number, number>();
    for (let i = 0; i < 100; i++) {
      map.set(i, i);
      evictOldest(map, 32);
      expect(map.size).toBeLessThanOrEqual(32);
      expect(map.has(i)).toBe(true);
    }
    // What is left is the newest entries, oldest first.
    expect([...map.keys()]).toEqual(Array.from({ length: map.size }, (_, k) => 100 - map.size + k));
    const one = new Map([["a", 1]]);
    one.set("b", 2);
    evictOldest(one, 1);
    expect([...one.keys()]).toEqual(["b"]);
  });

  it("keep recently used items and threads, dropping the least recently used", () => {
    const items = new ItemCache(3);
    for (const key of ["a", "b", "c"]) items.set(key, key);
    items.set("a", "a2");
    items.set("d", "d");
    expect(["a", "b", "c", "d"].map((key) => items.get(key))).toEqual(["a2", undefined, "c", "d"]);

    const states = new StateCache(2, 3);
    const state = new Map();
    states.set("t1", "", "c1", state);
    states.set("t2", "", "c1", state);
    expect(states.get("t1", "", "c1")).toBe(state);
    states.set("t3", "", "c1", state);
    expect(states.get("t2", "", "c1")).toBeUndefined();
    expect(states.get("t1", "", "c1")).toBe(state);
    expect(states.get("t3", "", "c1")).toBe(state);
  });
});
