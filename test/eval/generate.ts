/**
 * Writes the synthetic context-evaluation set (test/eval/data/synthetic.json)
 * deterministically from a seed: per conversation, 24 sessions of everyday
 * chit-chat with 13 personal facts planted in the first six sessions, three of
 * them changed between sessions 10 and 17, and one question per fact asked
 * after the last session (for a changed fact, the evidence is the change).
 * Questions carry a category ("single-fact", or "updated-fact" for a changed
 * fact) so the eval reports per category as on the hard set.
 *
 * Usage: npx tsx test/eval/generate.ts [--seed 42] [--out test/eval/data/synthetic.json]
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Conversation, Dataset } from "./lib/dataset.js";
import { closer, fillerExchange, opener } from "./lib/filler.js";
import { personaFacts } from "./lib/facts.js";
import { Random } from "./lib/random.js";

const CONVERSATIONS = 3;
const SESSIONS = 24;
const PLANT_SESSIONS = [0, 5] as const;
const UPDATE_SESSIONS = [10, 17] as const;

interface Exchange {
  user: string;
  assistant: string;
  /** Fact key and whether this exchange plants or updates it. */
  marks?: { key: string; kind: "plant" | "update" };
}

function conversation(index: number, random: Random): Conversation {
  const facts = personaFacts(random);
  const scheduled = new Map<number, Exchange[]>();
  const schedule = (session: number, exchange: Exchange) => scheduled.set(session, [...(scheduled.get(session) ?? []), exchange]);
  for (const fact of facts) {
    schedule(random.int(...PLANT_SESSIONS), { ...fact.plant, marks: { key: fact.key, kind: "plant" } });
    if (fact.update) schedule(random.int(...UPDATE_SESSIONS), { ...fact.update, marks: { key: fact.key, kind: "update" } });
  }

  const evidence = new Map<string, string>();
  const start = Date.UTC(2023, 0, 4, 18, 30);
  let day = 0;
  let turnNo = 0;
  const turnId = () => `c${index}-t${String(++turnNo).padStart(4, "0")}`;
  const sessions = Array.from({ length: SESSIONS }, (_, s) => {
    day += random.int(3, 9);
    const exchanges: Exchange[] = Array.from({ length: random.int(7, 10) }, () => fillerExchange(random));
    for (const fact of scheduled.get(s) ?? []) exchanges.splice(random.int(1, exchanges.length - 1), 0, fact);
    const first = exchanges[0]!;
    exchanges[0] = { ...first, user: `${opener(random)} ${first.user}` };
    exchanges.push(closer(random));
    const turns = exchanges.flatMap((exchange) => {
      const user = { id: turnId(), role: "user" as const, content: exchange.user };
      const assistant = { id: turnId(), role: "assistant" as const, content: exchange.assistant };
      if (exchange.marks) evidence.set(exchange.marks.key, user.id);
      return [user, assistant];
    });
    const date = new Date(start + day * 86_400_000 + random.int(0, 600) * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return { id: `c${index}-s${String(s + 1).padStart(2, "0")}`, date, turns };
  });

  const questions = facts.map((fact, q) => ({
    id: `c${index}-q${String(q + 1).padStart(2, "0")}`,
    category: fact.update ? "updated-fact" : "single-fact",
    question: fact.question,
    answer: fact.answer,
    evidence: [evidence.get(fact.key)!],
  }));
  return { id: `c${index}`, user_id: `user-${index}`, sessions, questions };
}

const { values } = parseArgs({
  options: { seed: { type: "string", default: "42" }, out: { type: "string", default: "test/eval/data/synthetic.json" } },
});
const random = new Random(Number(values.seed));
const dataset: Dataset = { conversations: Array.from({ length: CONVERSATIONS }, (_, i) => conversation(i + 1, random)) };
writeFileSync(values.out, `${JSON.stringify(dataset, null, 1)}\n`);
const turns = dataset.conversations.reduce((n, c) => n + c.sessions.reduce((m, s) => m + s.turns.length, 0), 0);
console.log(`wrote ${values.out}: ${dataset.conversations.length} conversations, ${turns} turns`);
