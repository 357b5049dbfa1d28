import type { MemoryScope, RecallHit, RecallSearcher } from "../memory/types.js";

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
const MAX_TERMS = 12;

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

/** One retrieved past exchange: the relevant message, led by the user message it answers when that helps. */
export interface RetrievedItem {
  hits: RecallHit[];
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
  k: number;
}

/** Hits fetched per query term; a term with more matches than this counts as common. */
const PER_TERM_LIMIT = 30;

/**
 * Ranked candidate items from recall memory for the new input, best first,
 * without messages already in the context and without duplicates. An
 * assistant hit is paired with the user message just before it in its thread,
 * because an answer alone ("Yes, that one.") rarely carries the fact.
 *
 * Postgres' `ts_rank_cd` has no notion of how rare a word is, so "name" in a
 * question weighs as much as "sister". Each significant term is therefore
 * searched on its own, and a message scores the sum of the inverse document
 * frequencies (estimated from each term's hit count) of the terms it matches,
 * as BM25 would; the text-search rank and recency break ties.
 */
export async function retrieveRelevant(params: RetrieveParams): Promise<RetrievedItem[]> {
  const terms = significantTerms(params.queryText);
  if (terms.length === 0 || params.k <= 0) return [];
  const limit = Math.min(100, PER_TERM_LIMIT + params.excludeIds.size);
  const pages = await Promise.all(
    terms.map((term) =>
      params.recall.search(params.scope, {
        query: term,
        roles: ["user", "assistant"],
        limit,
        ...(params.threadId ? { threadId: params.threadId } : {}),
      }),
    ),
  );
  const scored = new Map<string, { hit: RecallHit; score: number; rank: number }>();
  for (const page of pages) {
    const df = page.hasMore ? limit * 2 : Math.max(1, page.hits.length);
    const idf = Math.log(1 + (limit * 2) / df);
    for (const hit of page.hits) {
      const entry = scored.get(hit.id) ?? { hit, score: 0, rank: 0 };
      entry.score += idf;
      entry.rank = Math.max(entry.rank, hit.rank);
      scored.set(hit.id, entry);
    }
  }
  const ranked = [...scored.values()]
    .sort((a, b) => b.score - a.score || b.rank - a.rank || b.hit.createdAt.getTime() - a.hit.createdAt.getTime())
    .map((entry) => entry.hit);

  const seenIds = new Set(params.excludeIds);
  const seenTexts = new Set(params.excludeTexts);
  const fresh = (hit: RecallHit) => hit.content.trim().length > 0 && !seenIds.has(hit.id) && !seenTexts.has(hit.content);
  const take = (hit: RecallHit) => {
    seenIds.add(hit.id);
    seenTexts.add(hit.content);
  };

  const items: RetrievedItem[] = [];
  for (const hit of ranked) {
    if (items.length >= params.k) break;
    if (!fresh(hit)) continue;
    take(hit);
    const item: RetrievedItem = { hits: [hit] };
    if (hit.role === "assistant") {
      const prompt = await precedingUserMessage(params, hit);
      if (prompt && fresh(prompt)) {
        take(prompt);
        item.hits.unshift(prompt);
      }
    }
    items.push(item);
  }
  return items;
}

async function precedingUserMessage(params: RetrieveParams, hit: RecallHit): Promise<RecallHit | undefined> {
  const page = await params.recall.search(params.scope, {
    threadId: hit.threadId,
    roles: ["user"],
    endDate: hit.createdAt,
    limit: 1,
  });
  const candidate = page.hits[0];
  return candidate && candidate.createdAt.getTime() <= hit.createdAt.getTime() && candidate.id !== hit.id ? candidate : undefined;
}

/** One line of the retrieved section: "[2023-05-08] user: text". */
export function renderHit(hit: RecallHit): string {
  const date = Number.isNaN(hit.createdAt.getTime()) ? "unknown date" : hit.createdAt.toISOString().slice(0, 10);
  return `[${date}] ${hit.role}: ${hit.content.replace(/\s+/g, " ").trim()}`;
}
