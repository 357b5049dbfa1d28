/**
 * The word model shared by the BM25 baseline and the hard set's overlap
 * statistics: lowercase word tokens, a small English stopword list (function
 * words, question words and chat filler) and a light suffix-stripping stemmer
 * (plurals, -ing, -ed, -ly), so "dogs"/"dog" and "adopted"/"adopt" meet but
 * "sister"/"sibling" or "beagle"/"pet" do not.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about after again all also am an and any are as at be been before being both but by can could did do does doing " +
    "don't for from had has have having he her here hers him his how i i'd i'll i'm i've if in into is it it's its just " +
    "me more most my myself no nor not now of off on once only or other our ours out over own same she should so some " +
    "such than that that's the their them then there these they this those through to too under until up very was we " +
    "we're we've were what what's when where which while who whom why will with would you you're you've your yours " +
    "yeah yes ok okay oh hey hi hello thanks thank really get got one go goes going went gone come came make made take took"
  ).split(/\s+/),
);

/** Lowercase word tokens (letters/digits, with an inner apostrophe), possessive "'s" removed. */
export function words(text: string): string[] {
  const raw = text.toLowerCase().replace(/[’‘]/g, "'").match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
  return raw.map((w) => w.replace(/'s$/, ""));
}

/** A light English stemmer: plural and common verb/adverb suffixes only. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (/(ches|shes|xes|zzes)$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("ing") && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith("ed") && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith("ly") && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** Stemmed tokens without stopwords and one-letter words (digits kept), in order, with repeats. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const word of words(text)) {
    if (STOPWORDS.has(word)) continue;
    if (word.length < 2 && !/\d/.test(word)) continue;
    out.push(stem(word));
  }
  return out;
}

/** The distinct content words (stemmed) of a text. */
export function contentWords(text: string): Set<string> {
  return new Set(terms(text));
}

/** Jaccard similarity of two word sets (0 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}
