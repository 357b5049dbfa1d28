/**
 * Writes the hard context-evaluation set (test/eval/data/hard.json)
 * deterministically from a seed: per conversation, 30 dated sessions spread
 * over about a year of everyday chit-chat, with 48 questions planted in six
 * categories (single-fact, multi-hop, temporal, updated-fact, adjacent-turn,
 * open-domain) and distractor exchanges on the same subjects. Questions are
 * asked after the last session and are worded with paraphrase, hypernyms and
 * indirect references (see lib/hard-*.ts): about a third share no content
 * word with their evidence, the rest mostly one common word per evidence turn
 * (ANCHORED_SHARE), which puts plain BM25 at about half of the questions.
 *
 * The script checks its own invariants before writing (counts, categories,
 * evidence ids exist and precede the question, multi-hop evidence spans two
 * sessions, only the latest value of an updated fact is evidence, adjacent
 * evidence is two neighbouring user turns, literal answers appear in their
 * evidence) and prints the question/evidence content-word overlap.
 *
 * Usage: npx tsx test/eval/generate-hard.ts [--seed 13] [--out test/eval/data/hard.json]
 */
import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Conversation, Dataset } from "./lib/dataset.js";
import { loadDataset } from "./lib/dataset.js";
import { ADJACENT } from "./lib/hard-adjacent.js";
import { distractorsFor } from "./lib/hard-distractors.js";
import { chatter, hardCloser, hardFillerExchange, hardOpener, hasLead } from "./lib/hard-filler.js";
import { MULTI_HOP } from "./lib/hard-multi.js";
import { OPEN_DOMAIN } from "./lib/hard-open.js";
import { SINGLE_FACT } from "./lib/hard-single.js";
import { TEMPORAL } from "./lib/hard-temporal.js";
import { UPDATED } from "./lib/hard-updated.js";
import { CATEGORIES, type Category, Conflict, type Generator, type Item, type Line, World } from "./lib/hard-world.js";
import { Random } from "./lib/random.js";
import { contentWords, jaccard } from "./lib/words.js";

const CONVERSATIONS = 12;
const SESSIONS = 30;
const QUOTA: Record<Category, number> = {
  "single-fact": 10,
  "multi-hop": 8,
  temporal: 9,
  "updated-fact": 7,
  "adjacent-turn": 7,
  "open-domain": 7,
};
const GENERATORS: Record<Category, Generator[]> = {
  "single-fact": SINGLE_FACT,
  "multi-hop": MULTI_HOP,
  temporal: TEMPORAL,
  "updated-fact": UPDATED,
  "adjacent-turn": ADJACENT,
  "open-domain": OPEN_DOMAIN,
};
/**
 * Share of questions drawn to share at least one content word with every
 * evidence turn (usually a common word that distractors and filler share
 * too); the others share none with at least one evidence turn. Generators
 * are re-drawn (templates and all) until the draw is met, or accepted as
 * they come after MAX_DRAWS.
 */
const ANCHORED_SHARE = 0.6;
const MAX_DRAWS = 40;
/** Distractor exchanges per claimed topic (at most; fewer when a topic has fewer). */
const DISTRACTORS_PER_TOPIC = 2;
const MS_PER_DAY = 86_400_000;

/** Side data the invariants need, beside the written data set. */
interface Meta {
  distractors: number;
  kind: Map<string, string>;
  superseded: Map<string, string[]>;
  literal: Map<string, string>;
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function sessionDates(random: Random): Date[] {
  let day = Date.UTC(2023, 1, 3);
  return Array.from({ length: SESSIONS }, () => {
    day += random.int(4, 18) * MS_PER_DAY;
    return new Date(day + random.int(17 * 60, 22 * 60 + 59) * 60_000);
  });
}

function conversation(index: number, random: Random, meta: Meta): Conversation {
  const dates = sessionDates(random);
  const w = new World(random, dates);

  // Questions: category slots in random order, each filled by a generator whose topics are free.
  const slots = shuffle(
    CATEGORIES.flatMap((c) => Array.from({ length: QUOTA[c] }, () => c)),
    random,
  );
  const items: Item[] = [];
  for (const category of slots) {
    const wantAnchored = random.next() < ANCHORED_SHARE;
    let item: Item | undefined;
    for (let attempt = 0; attempt < 200 && !item; attempt++) {
      const snap = w.snapshot();
      try {
        const candidate = random.pick(GENERATORS[category])(w);
        if (attempt >= MAX_DRAWS || anchored(candidate) === wantAnchored) item = candidate;
        else w.restore(snap);
      } catch (err) {
        if (!(err instanceof Conflict)) throw err;
        w.restore(snap);
      }
    }
    if (!item) throw new Error(`conversation ${index}: cannot fill a ${category} question`);
    items.push(item);
  }

  // Planted user lines get the padding people write around news (adjacent teasers only a lead-in).
  for (const item of items) {
    for (const episode of item.episodes) {
      for (const line of episode.lines) if (line.role === "user") line.text = chatter(random, line.text, episode.lines.length === 2);
    }
  }

  // Distractors on the same subjects, in any session.
  const blocksBySession: Line[][][] = dates.map(() => []);
  for (const item of items) for (const episode of item.episodes) blocksBySession[episode.session]!.push(episode.lines);
  for (const topic of w.claimedTopics()) {
    for (const [user, assistant] of random.sample(distractorsFor(topic), DISTRACTORS_PER_TOPIC)) {
      meta.distractors++;
      blocksBySession[w.session(0, SESSIONS - 1)]!.push([
        { role: "user", text: chatter(random, user) },
        { role: "assistant", text: assistant },
      ]);
    }
  }

  // Sessions: filler exchanges around the planted blocks, an opener, sometimes a closer.
  const ids = new Map<Line, string>();
  let turnNo = 0;
  const sessions = dates.map((date, s) => {
    const filler = random.int(2, 6);
    const blocks = shuffle([...blocksBySession[s]!, ...Array.from({ length: filler }, () => pairLines(hardFillerExchange(random)))], random);
    if (random.next() < 0.6) blocks.push(pairLines(hardCloser(random)));
    const first = blocks[0]![0]!;
    if (random.next() < 0.7 && !hasLead(first.text)) first.text = `${hardOpener(random)} ${first.text}`;
    const turns = blocks.flat().map((line) => {
      const id = `h${index}-t${String(++turnNo).padStart(4, "0")}`;
      ids.set(line, id);
      return { id, role: line.role, content: line.text };
    });
    return { id: `h${index}-s${String(s + 1).padStart(2, "0")}`, date: date.toISOString().replace(/\.\d{3}Z$/, "Z"), turns };
  });

  const questions = items.map((item, q) => {
    const id = `h${index}-q${String(q + 1).padStart(2, "0")}`;
    const lines = item.episodes.flatMap((e) => e.lines);
    meta.kind.set(id, item.kind);
    meta.superseded.set(
      id,
      lines.filter((l) => l.superseded).map((l) => ids.get(l)!),
    );
    if (item.literal) meta.literal.set(id, item.answer);
    return {
      id,
      category: item.category,
      question: item.question,
      answer: item.answer,
      evidence: lines.filter((l) => l.evidence).map((l) => ids.get(l)!),
    };
  });
  return { id: `h${index}`, user_id: `hard-user-${index}`, sessions, questions };
}

/** Whether every evidence turn of the item shares at least one content word with its question. */
function anchored(item: Item): boolean {
  const q = contentWords(item.question);
  return item.episodes
    .flatMap((e) => e.lines)
    .filter((l) => l.evidence)
    .every((l) => [...contentWords(l.text)].some((word) => q.has(word)));
}

function pairLines(exchange: { user: string; assistant: string }): Line[] {
  return [
    { role: "user", text: exchange.user },
    { role: "assistant", text: exchange.assistant },
  ];
}

/** Throws on the first broken invariant; returns the figures it checked. */
function verify(dataset: Dataset, meta: Meta): string[] {
  const fail = (message: string): never => {
    throw new Error(`invariant broken: ${message}`);
  };
  const report: string[] = [];
  if (dataset.conversations.length < 10) fail(`${dataset.conversations.length} conversations, want >= 10`);
  const perCategory = new Map<string, number>();
  let turns = 0;
  let sessions = 0;
  let minTurns = Infinity;
  let maxTurns = 0;
  let firstDate = Infinity;
  let lastDate = 0;
  for (const c of dataset.conversations) {
    if (c.sessions.length < 25) fail(`${c.id}: ${c.sessions.length} sessions, want >= 25`);
    sessions += c.sessions.length;
    const where = new Map<string, { session: number; index: number; role: string; text: string }>();
    const textCount = new Map<string, number>();
    let previous = 0;
    for (const [s, session] of c.sessions.entries()) {
      const time = Date.parse(session.date);
      if (time <= previous) fail(`${session.id}: dates not ascending`);
      previous = time;
      firstDate = Math.min(firstDate, time);
      lastDate = Math.max(lastDate, time);
      minTurns = Math.min(minTurns, session.turns.length);
      maxTurns = Math.max(maxTurns, session.turns.length);
      for (const [i, turn] of session.turns.entries()) {
        if (turn.role !== (i % 2 === 0 ? "user" : "assistant")) fail(`${turn.id}: roles do not alternate user/assistant`);
        if (where.has(turn.id)) fail(`${turn.id}: duplicate id`);
        where.set(turn.id, { session: s, index: i, role: turn.role, text: turn.content });
        textCount.set(turn.content, (textCount.get(turn.content) ?? 0) + 1);
        turns++;
      }
    }
    // Questions are asked after the last session.
    const askedAt = Date.parse(c.sessions.at(-1)!.date) + MS_PER_DAY;
    for (const q of c.questions) {
      if (!q.category || !(CATEGORIES as readonly string[]).includes(q.category)) fail(`${q.id}: unknown category ${q.category}`);
      perCategory.set(q.category!, (perCategory.get(q.category!) ?? 0) + 1);
      if (q.evidence.length === 0) fail(`${q.id}: no evidence`);
      const ev = q.evidence.map((id) => where.get(id) ?? fail(`${q.id}: evidence ${id} does not exist`));
      for (const e of ev) {
        if (Date.parse(c.sessions[e.session]!.date) >= askedAt) fail(`${q.id}: evidence after the question`);
        if (textCount.get(e.text)! > 1) fail(`${q.id}: evidence text is not unique in the conversation: ${e.text}`);
      }
      const evSessions = new Set(ev.map((e) => e.session));
      const kind = meta.kind.get(q.id)!;
      if (q.category === "multi-hop" && evSessions.size < 2) fail(`${q.id}: multi-hop evidence in one session`);
      if (q.category === "temporal" && kind !== "when" && evSessions.size < 2) fail(`${q.id}: two-event temporal evidence in one session`);
      if (q.category === "adjacent-turn") {
        const [a, b] = ev;
        if (ev.length !== 2 || a!.session !== b!.session || b!.index - a!.index !== 2 || a!.role !== "user" || b!.role !== "user") {
          fail(`${q.id}: adjacent-turn evidence is not two neighbouring user turns`);
        }
      }
      if (q.category === "updated-fact") {
        const older = meta.superseded.get(q.id) ?? [];
        if (older.length === 0) fail(`${q.id}: updated fact without an earlier value`);
        if (ev.length !== 1) fail(`${q.id}: updated fact must cite only the latest statement`);
        for (const id of older) {
          if (q.evidence.includes(id)) fail(`${q.id}: a superseded statement is evidence`);
          if (where.get(id)!.session >= ev[0]!.session) fail(`${q.id}: superseded statement ${id} is not earlier than the latest`);
        }
      }
      const literal = meta.literal.get(q.id);
      if (literal && !ev.some((e) => e.text.toLowerCase().includes(literal.toLowerCase()))) fail(`${q.id}: answer "${literal}" not in its evidence`);
    }
  }
  const questions = [...perCategory.values()].reduce((a, b) => a + b, 0);
  if (questions < 500) fail(`${questions} questions, want >= 500`);
  for (const c of CATEGORIES) if ((perCategory.get(c) ?? 0) < 50) fail(`${perCategory.get(c) ?? 0} ${c} questions, want >= 50`);
  const days = Math.round((lastDate - firstDate) / MS_PER_DAY);
  report.push(
    `${dataset.conversations.length} conversations, ${sessions} sessions (${minTurns}-${maxTurns} turns each), ${turns} turns, ${questions} questions; sessions span ${days} days per data set`,
    `questions per category: ${CATEGORIES.map((c) => `${c} ${perCategory.get(c) ?? 0}`).join(", ")}`,
    `${meta.distractors} distractor exchanges (same subject as a question, not its evidence); superseded values of updated facts: ${[...meta.superseded.values()].reduce((n, ids) => n + ids.length, 0)}`,
  );
  return report;
}

/** Question/evidence content-word overlap, overall and per category. */
function overlap(dataset: Dataset): { lines: string[]; mean: number } {
  const rows: { category: string; j: number; shared: number; anchored: boolean }[] = [];
  for (const c of dataset.conversations) {
    const texts = new Map(c.sessions.flatMap((s) => s.turns.map((t) => [t.id, t.content] as const)));
    for (const q of c.questions) {
      const qw = contentWords(q.question);
      const ew = contentWords(q.evidence.map((id) => texts.get(id) ?? "").join(" "));
      let shared = 0;
      for (const w of qw) if (ew.has(w)) shared++;
      const anchored = q.evidence.every((id) => [...contentWords(texts.get(id) ?? "")].some((w) => qw.has(w)));
      rows.push({ category: q.category ?? "(none)", j: jaccard(qw, ew), shared, anchored });
    }
  }
  const stat = (subset: typeof rows) => {
    const mean = subset.reduce((s, r) => s + r.j, 0) / Math.max(1, subset.length);
    const zero = subset.filter((r) => r.shared === 0).length;
    const shared = subset.reduce((s, r) => s + r.shared, 0) / Math.max(1, subset.length);
    const anchored = subset.filter((r) => r.anchored).length;
    const pct = (n: number) => `${((100 * n) / Math.max(1, subset.length)).toFixed(0)}%`;
    return {
      mean,
      text: `mean Jaccard ${mean.toFixed(3)}, mean shared content words ${shared.toFixed(2)}, no shared word ${pct(zero)}, a shared word with every evidence turn ${pct(anchored)}`,
    };
  };
  const seen = new Set(rows.map((r) => r.category));
  const categories = [...CATEGORIES.filter((c) => seen.has(c)), ...[...seen].filter((c) => !(CATEGORIES as readonly string[]).includes(c))];
  const all = stat(rows);
  return {
    mean: all.mean,
    lines: [`overall: ${all.text}`, ...categories.map((c) => `  ${c}: ${stat(rows.filter((r) => r.category === c)).text}`)],
  };
}

const { values } = parseArgs({
  options: { seed: { type: "string", default: "13" }, out: { type: "string", default: "test/eval/data/hard.json" } },
});
const random = new Random(Number(values.seed));
const meta: Meta = { distractors: 0, kind: new Map(), superseded: new Map(), literal: new Map() };
const dataset: Dataset = { conversations: Array.from({ length: CONVERSATIONS }, (_, i) => conversation(i + 1, random, meta)) };
const figures = verify(dataset, meta);
const words = overlap(dataset);
writeFileSync(values.out, `${JSON.stringify(dataset, null, 1)}\n`);
loadDataset(values.out); // the runner's own validation
console.log(`wrote ${values.out}`);
for (const line of figures) console.log(line);
console.log("question/evidence content-word overlap (lowercase, stopwords removed, light stemming):");
for (const line of words.lines) console.log(`  ${line}`);
const easy = "test/eval/data/synthetic.json";
if (existsSync(easy)) console.log(`  for comparison, ${easy}: ${overlap(loadDataset(easy)).lines[0]!.replace("overall: ", "")}`);
