import type { MemoryScope, RecallHit, RecallMessage, RecallSearcher, RelevantHit } from "../memory/types.js";
import type { QueryRewriter } from "./rewrite.js";

/**
 * Words that carry no topic in a question. Postgres drops its own English
 * stopwords too, but question words ("what", "where", "now") and chat filler
 * ("remember", "tell") are not in its list and would match half the history.
 */
const STOPWORDS = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below between both but by " +
    "can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had hadn't has " +
    "hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in " +
    "into is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours " +
    "ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them " +
    "themselves then there there's these they they'd they'll they're they've this those through to too under until up very was " +
    "wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's whom why why's with " +
    "won't would wouldn't you you'd you'll you're you've your yours yourself yourselves " +
    "again ago also anything currently current did ever know kind latest let like many me mentioned much now please recall remember " +
    "remind said say says tell thing things told whats yeah yes ok okay hey hi hello thanks thank just really still get got go going " +
    "one two lot lots bit sure think want wanted"
  ).split(/\s+/),
);

/** At most this many terms go into one query; long inputs would otherwise match everything. */
const MAX_TERMS = 24;

/**
 * The significant terms of a user message: lowercased words without
 * stopwords, question words and one-letter tokens, in order of first use.
 */
export function significantTerms(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  const terms: string[] = [];
  for (const raw of words) {
    const word = raw.replace(/'s$/, "");
    if (word.length < 2 && !/\d/.test(word)) continue;
    if (STOPWORDS.has(word) || STOPWORDS.has(raw)) continue;
    if (!terms.includes(word)) terms.push(word);
    if (terms.length >= MAX_TERMS) break;
  }
  return terms;
}

/** One relevant past message, with what surrounds it in its thread (fresh neighbours only), as candidates for the context. */
export interface RetrievedItem {
  hit: RecallHit;
  /** The message just before it, when fresh. */
  before: RecallHit[];
  /** The messages just after it (the next, then the one after that), when fresh. */
  after: RecallHit[];
}

export interface RetrieveParams {
  recall: RecallSearcher;
  scope: MemoryScope;
  /** Set to search only this thread; omitted searches all of the user's threads. */
  threadId?: string;
  queryText: string;
  /** Ids of messages already in the context (verbatim window, current turn). */
  excludeIds: ReadonlySet<string>;
  /** Texts already in the context, for messages whose ids are unknown or differ across threads. */
  excludeTexts: ReadonlySet<string>;
  /** The most relevant messages considered. */
  k: number;
  /** Adds search words to the user's own (a chat model's rewrite); a failure adds none. */
  rewrite?: QueryRewriter;
}

/**
 * Candidate items from recall memory for the new input, best first: the
 * messages that recall memory ranks highest for the input's significant
 * words (BM25, fused with similarity of meaning when recall has embeddings;
 * one statement), each with its neighbours in its thread, without
 * messages already in the context and without duplicates. An answer alone
 * ("Yes, that one.") or a fact told over two turns rarely carries the fact
 * by itself: the neighbours are what the caller adds as its budget allows.
 */
export async function retrieveRelevant(params: RetrieveParams): Promise<RetrievedItem[]> {
  const extra = params.rewrite && params.k > 0 ? await params.rewrite(params.queryText).catch(() => "") : "";
  // The user's own words first, so a long rewrite cannot crowd them out.
  const terms = significantTerms(extra ? `${params.queryText}\n${extra}` : params.queryText);
  const semantic = params.recall.semantic === true && params.queryText.trim() !== "";
  if ((terms.length === 0 && !semantic) || params.k <= 0) return [];
  const search = (text: string, similarTo?: string) =>
    params.recall.relevant(params.scope, {
      text,
      ...(params.threadId ? { threadId: params.threadId } : {}),
      excludeIds: [...params.excludeIds],
      limit: Math.min(params.k, 200),
      neighbours: true,
      ...(similarTo ? { similarTo } : {}),
    });
  // Meaning is compared once, on the user's own words; the expanded query is words only.
  const first = await search(terms.join(" "), semantic ? params.queryText : undefined);
  const expansion = feedbackTerms(first.slice(0, FEEDBACK_HITS), terms);
  const hits = expansion.length ? fuse(first, await search([...terms, ...expansion].join(" "))) : first;
  const seenIds = new Set(params.excludeIds);
  const seenTexts = new Set(params.excludeTexts);
  const fresh = (m: { id: string; content: string }) => m.content.trim().length > 0 && !seenIds.has(m.id) && !seenTexts.has(m.content);
  const items: RetrievedItem[] = [];
  const hitIds = new Set(hits.map((h) => h.id));
  for (const hit of hits) {
    if (!fresh(hit)) continue;
    seenIds.add(hit.id);
    seenTexts.add(hit.content);
    // A neighbour that is itself a hit comes as one, in its own rank.
    const around = (ms: (RecallMessage | undefined)[]) =>
      ms.flatMap((m) => (m && !hitIds.has(m.id) && !params.excludeIds.has(m.id) && !params.excludeTexts.has(m.content) && m.content.trim() ? [{ ...m, rank: 0 }] : []));
    items.push({ hit, before: around([hit.before]), after: around([hit.after, hit.afterThat]) });
  }
  return items;
}

/** Hits whose words expand the query (pseudo-relevance feedback), and how many words they add at most. */
const FEEDBACK_HITS = 3;
const FEEDBACK_TERMS = 8;

/** Names the expansion adds at most, besides its words. */
const FEEDBACK_NAMES = 3;

/**
 * Words of the best first hits (and the messages around them) that the
 * query lacks, most shared first, and the names they mention. The words are
 * what the user called the thing then ("cello" for "instrument"); a name is
 * how the rest of the history speaks of someone the question describes by
 * what they are to the user ("my brother" finds "my brother Tariq", and
 * "Tariq" the news about him).
 */
function feedbackTerms(top: readonly RelevantHit[], query: readonly string[]): string[] {
  const counts = new Map<string, number>();
  const names = new Map<string, number>();
  for (const hit of top) {
    const texts = [hit, hit.before, hit.after].flatMap((m) => (m ? [m.content] : []));
    for (const word of new Set(texts.flatMap(significantTerms))) {
      if (!query.includes(word) && !/^\d+$/.test(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    for (const name of new Set(texts.flatMap(namesIn))) if (!query.includes(name)) names.set(name, (names.get(name) ?? 0) + 1);
  }
  const mostShared = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([word]) => word);
  const words = mostShared(counts).slice(0, FEEDBACK_TERMS);
  return [...words, ...mostShared(names).filter((name) => !words.includes(name)).slice(0, FEEDBACK_NAMES)];
}

// Titles and calendar words are capitalised but name nobody.
const NOT_NAMES = new Set(
  "mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december".split(" "),
);

/**
 * The names a text mentions, lowercased: capitalised words inside a
 * sentence ("my brother Tariq", "in Biarritz"), and a sentence's first word
 * when an apposition follows it ("Saoirse, our neighbour, …"). Stopwords,
 * "I", titles and calendar words are not names.
 */
export function namesIn(text: string): string[] {
  const names: string[] = [];
  for (const sentence of text.split(/(?<=[.!?…])\s+|\n+/)) {
    const words = [...sentence.matchAll(/[\p{L}][\p{L}'’-]*/gu)];
    words.forEach((match, i) => {
      const word = match[0].replace(/['’]s$/, "");
      if (!/^\p{Lu}\p{Ll}/u.test(word)) return;
      const after = sentence.slice(match.index + match[0].length);
      if (i === 0 && !/^,\s+(?:my|our|his|her|their|the|a|an)\b/i.test(after)) return;
      const lower = word.toLowerCase();
      if (STOPWORDS.has(lower) || NOT_NAMES.has(lower)) return;
      if (!names.includes(lower)) names.push(lower);
    });
  }
  return names;
}

/** Reciprocal rank fusion of the two rankings, the query's own counting double. */
function fuse(first: readonly RelevantHit[], expanded: readonly RelevantHit[]): RelevantHit[] {
  const score = new Map<string, { hit: RelevantHit; score: number }>();
  const add = (hits: readonly RelevantHit[], weight: number) =>
    hits.forEach((hit, i) => {
      const entry = score.get(hit.id) ?? { hit, score: 0 };
      entry.score += weight / (60 + i);
      score.set(hit.id, entry);
    });
  add(first, 2);
  add(expanded, 1);
  return [...score.values()].sort((a, b) => b.score - a.score).map((e) => e.hit);
}

/** One line of the retrieved section: "[2023-05-08] user: text". */
export function renderHit(hit: RecallHit): string {
  const date = Number.isNaN(hit.createdAt.getTime()) ? "unknown date" : hit.createdAt.toISOString().slice(0, 10);
  return `[${date}] ${hit.role}: ${hit.content.replace(/\s+/g, " ").trim()}`;
}
