import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { flattenContent } from "../memory/messages.js";

/** A chat model as the query rewrite uses it (a LangChain chat model, tagged so its tokens are not streamed). */
export interface RewriteModel {
  invoke(messages: BaseMessage[], options?: { signal?: AbortSignal }): Promise<{ content: unknown }>;
}

/**
 * Turns the user's new message into extra search words for recall memory:
 * what the words of the question may have been when the user said the thing
 * ("the little creature" → "pet kitten puppy cat dog").
 */
export type QueryRewriter = (text: string) => Promise<string>;

const INSTRUCTIONS =
  "You turn a user's message into search words for finding what they said in earlier conversations. " +
  "Answer with one line of at most 20 plain words: the message's key words and the other words the user " +
  "may have used for the same people, places, things and events (synonyms, more specific or general terms, " +
  "likely names of the thing). No sentences, no punctuation, no answer to the message itself.";

/** The most characters of a rewrite kept; a model that rambles adds noise, not recall. */
const MAX_REWRITE_CHARS = 400;

/**
 * How long the turn waits for the rewrite, retries included: past it the
 * turn goes on by the user's own words instead of waiting out a failing
 * server's backoff.
 */
export const REWRITE_TIMEOUT_MS = 10_000;

/**
 * A query rewriter on a chat model. It is asked for search words only; a
 * failed, empty or timed-out call (`timeoutMs`, default 10 s) gives no extra
 * words (see `retrieveRelevant`), so retrieval goes on by the user's own words.
 * The same text is rewritten once (the last 64 are remembered).
 *
 * @example
 * const rewrite = createQueryRewriter(chat.withConfig({ tags: ["nostream"] }));
 * await rewrite("which instrument am I learning?"); // "instrument learning lessons cello piano guitar violin"
 */
export function createQueryRewriter(model: RewriteModel, timeoutMs = REWRITE_TIMEOUT_MS): QueryRewriter {
  // Every model call of a turn (a tool loop makes several) assembles its
  // context for the same user message: one rewrite serves them all.
  const recent = new Map<string, Promise<string>>();
  const rewrite = async (text: string) => {
    const reply = await model.invoke([new SystemMessage(INSTRUCTIONS), new HumanMessage(text)], { signal: AbortSignal.timeout(timeoutMs) });
    return flattenContent(reply.content)
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, MAX_REWRITE_CHARS);
  };
  return (text) => {
    let words = recent.get(text);
    if (!words) {
      words = rewrite(text);
      words.catch(() => recent.delete(text));
      recent.set(text, words);
      if (recent.size > REMEMBERED_REWRITES) recent.delete(recent.keys().next().value!);
    }
    return words;
  };
}

const REMEMBERED_REWRITES = 64;
