import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from "@langchain/core/messages";
import type { MemoryScope, RecallHit, RecallPage, RecallQuery, RecallSearcher, RelevantHit, RelevantQuery } from "../../src/memory/types.js";
import { roleOf, textOf } from "../../src/window/messages.js";

export const SCOPE: MemoryScope = { assistantId: "agent", userId: "u1" };

/** mulberry32: a seeded PRNG so property-style loops are reproducible. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const human = (id: string, text: string) => new HumanMessage({ id, content: text });
export const ai = (id: string, text: string) => new AIMessage({ id, content: text });
export const aiCalls = (id: string, callIds: string[]) =>
  new AIMessage({ id, content: "", tool_calls: callIds.map((c) => ({ id: c, name: "lookup", args: { q: c } })) });
export const toolResult = (id: string, callId: string, text = `result of ${callId}`) =>
  new ToolMessage({ id, tool_call_id: callId, content: text });

/**
 * In-memory recall: ranks messages by how many query terms ("a or b") they
 * contain, the way the real store's OR query does, newest first on ties.
 */
export class FakeRecall implements RecallSearcher {
  readonly stored: RecallHit[] = [];
  searches = 0;

  add(threadId: string, messages: readonly BaseMessage[], start = Date.UTC(2024, 0, 1)): void {
    for (const m of messages) {
      if (this.stored.some((s) => s.id === m.id)) continue;
      this.stored.push({ id: m.id!, threadId, role: roleOf(m), content: textOf(m), createdAt: new Date(start + this.stored.length * 60_000), rank: 0 });
    }
  }

  async search(_scope: MemoryScope, query: RecallQuery): Promise<RecallPage> {
    this.searches++;
    const terms = (query.query ?? "").toLowerCase().split(/\s+or\s+/).filter((t) => t.length > 0);
    const hits = this.stored
      .filter((h) => (!query.threadId || h.threadId === query.threadId) && (!query.roles || query.roles.includes(h.role)))
      .filter((h) => !query.endDate || h.createdAt <= query.endDate)
      .map((h) => ({ ...h, rank: terms.filter((t) => h.content.toLowerCase().includes(t)).length }))
      .filter((h) => terms.length === 0 || h.rank > 0)
      .sort((a, b) => b.rank - a.rank || b.createdAt.getTime() - a.createdAt.getTime());
    const limit = query.limit ?? 10;
    return { hits: hits.slice(0, limit), page: 0, hasMore: hits.length > limit };
  }

  /** Ranks user and assistant messages by how many of the words they contain, with their neighbours. */
  async relevant(_scope: MemoryScope, query: RelevantQuery): Promise<RelevantHit[]> {
    this.searches++;
    const terms = query.text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);
    const spoken = this.stored.filter((h) => (h.role === "user" || h.role === "assistant") && (!query.threadId || h.threadId === query.threadId));
    const hits = spoken
      .filter((h) => !query.excludeIds?.includes(h.id))
      .map((h) => ({ ...h, rank: terms.filter((t) => h.content.toLowerCase().includes(t)).length }))
      .filter((h) => h.rank > 0)
      .sort((a, b) => b.rank - a.rank || b.createdAt.getTime() - a.createdAt.getTime())
      .slice(0, query.limit ?? 20);
    return hits.map((hit) => {
      const own = spoken.filter((h) => h.threadId === hit.threadId);
      const at = own.findIndex((h) => h.id === hit.id);
      const before = query.neighbours ? own[at - 1] : undefined;
      const after = query.neighbours ? own[at + 1] : undefined;
      const afterThat = query.neighbours ? own[at + 2] : undefined;
      return { ...hit, ...(before ? { before } : {}), ...(after ? { after } : {}), ...(afterThat ? { afterThat } : {}) };
    });
  }
}

/** Checks the provider invariants of a message list; returns the first violation or undefined. */
export function providerViolation(messages: readonly BaseMessage[]): string | undefined {
  let pending = new Set<string>();
  for (const [i, m] of messages.entries()) {
    if (m.type === "tool") {
      const id = (m as ToolMessage).tool_call_id;
      if (!pending.has(id)) return `orphan tool result at ${i} (${id})`;
      pending.delete(id);
      continue;
    }
    if (pending.size > 0) return `tool calls ${[...pending].join(",")} unanswered before message ${i}`;
    const calls = (m as AIMessage).tool_calls ?? [];
    pending = new Set(m.type === "ai" ? calls.map((c) => c.id!) : []);
  }
  return pending.size > 0 ? `tool calls ${[...pending].join(",")} unanswered at the end` : undefined;
}
