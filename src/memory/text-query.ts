const SYNTAX = /["]|(^|\s)-\S|(^|\s)or(\s|$)/i;

/**
 * The "any word" form of a search text. A plain sentence such as "where does
 * my sister live" would, read by `websearch_to_tsquery`, require every word;
 * models phrase searches that way, so plain text also matches messages that
 * share only some of its words (ranked below full matches). Text using the
 * search syntax (quotes, -exclusion, OR) is taken as meant.
 */
export function anyWordQuery(text: string): string {
  if (SYNTAX.test(text)) return text;
  return text.split(/\s+/).filter(Boolean).join(" or ");
}
