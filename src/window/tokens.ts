import type { BaseMessage } from "@langchain/core/messages";
import { getEncoding, type Tiktoken, type TiktokenEncoding } from "js-tiktoken";
import type { TokenCounter } from "./types.js";
import { nonTextBlocks, roleOf, textOf, toolCallIdOf, toolCallsOf } from "./messages.js";

/**
 * Per-message overhead of OpenAI chat models, as in OpenAI's cookbook
 * ("How to count tokens with tiktoken", `num_tokens_from_messages`): every
 * message costs 3 tokens of framing plus its encoded role and fields, a
 * `name` costs 1 more, and every reply is primed with 3 tokens
 * (`<|start|>assistant<|message|>`). The cookbook does not cover tool calls;
 * we count them by their JSON in the wire format, which is how they are sent.
 */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

/**
 * Non-text content blocks (images, audio) are billed by rules the text
 * tokenizer cannot see. We charge OpenAI's base cost of a low-detail image;
 * high-detail images cost more, so budgets for image-heavy threads need slack.
 */
export const NON_TEXT_BLOCK_TOKENS = 85;

/** Characters per token of the approximate counter (OpenAI's rule of thumb for English). */
export const APPROX_CHARS_PER_TOKEN = 4;

const encoders = new Map<TiktokenEncoding, Tiktoken>();

function encoder(name: TiktokenEncoding): Tiktoken {
  let enc = encoders.get(name);
  if (!enc) {
    enc = getEncoding(name);
    encoders.set(name, enc);
  }
  return enc;
}

/**
 * The tiktoken encoding of an OpenAI chat model, or undefined for models
 * whose tokenizer we do not ship. Matches by prefix so dated snapshots
 * ("gpt-4o-2024-08-06") and provider prefixes ("openai:gpt-4o") resolve too.
 */
export function encodingForModelName(model: string): TiktokenEncoding | undefined {
  const name = model.trim().toLowerCase().replace(/^(openai[:/])/, "").replace(/^ft:/, "");
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o[1-9])(\b|-|$)/.test(name)) return "o200k_base";
  if (/^(gpt-4|gpt-3\.5|gpt-35|text-embedding-(ada-002|3))/.test(name)) return "cl100k_base";
  return undefined;
}

/**
 * A token counter for `model`: exact (tiktoken with the model's encoding and
 * OpenAI's message overhead) for OpenAI chat models, otherwise approximate:
 * ceil(characters / 4) per text plus the same per-message overhead, with
 * `exact: false` so callers can leave headroom. Encoders are cached per
 * process; per-message counts are memoised per message object.
 *
 * @example
 * const counter = createTokenCounter("gpt-4o");
 * counter.countText("hello world"); // 2
 * counter.countMessages([new HumanMessage("hello world")]); // 3 + 1 + 2 + 3 = 9
 */
export function createTokenCounter(model: string): TokenCounter {
  const encoding = encodingForModelName(model);
  if (encoding) {
    const enc = encoder(encoding);
    return messageCounter(true, (text) => (text.length === 0 ? 0 : enc.encode(text, "all").length));
  }
  return approximateTokenCounter();
}

/**
 * The documented approximate counter: ceil(characters / 4) per text, plus
 * OpenAI-style per-message overhead. Used for non-OpenAI models.
 *
 * @example
 * approximateTokenCounter().countText("abcdefgh"); // 2
 */
export function approximateTokenCounter(): TokenCounter {
  return messageCounter(false, (text) => Math.ceil(text.length / APPROX_CHARS_PER_TOKEN));
}

interface Memo {
  content: unknown;
  tokens: number;
}

function messageCounter(exact: boolean, countText: (text: string) => number): TokenCounter {
  // Keyed by object and checked against the content reference: LangGraph
  // state replaces messages rather than mutating them, but a mutated
  // content array must not return a stale count.
  const memo = new WeakMap<BaseMessage, Memo>();
  const countMessage = (message: BaseMessage): number => {
    const cached = memo.get(message);
    if (cached && cached.content === message.content) return cached.tokens;
    let tokens = TOKENS_PER_MESSAGE + countText(roleOf(message)) + countText(textOf(message));
    tokens += nonTextBlocks(message).length * NON_TEXT_BLOCK_TOKENS;
    if (message.name) tokens += TOKENS_PER_NAME + countText(message.name);
    const calls = toolCallsOf(message);
    if (calls.length > 0) tokens += countText(JSON.stringify(calls));
    const callId = toolCallIdOf(message);
    if (callId) tokens += countText(callId);
    memo.set(message, { content: message.content, tokens });
    return tokens;
  };
  return {
    exact,
    countText,
    countMessages(messages) {
      return messages.reduce((sum, m) => sum + countMessage(m), REPLY_PRIMING_TOKENS);
    },
  };
}

/** Tokens of one message as part of a prompt: its count without the reply priming. */
export function messageTokens(counter: TokenCounter, message: BaseMessage): number {
  return counter.countMessages([message]) - counter.countMessages([]);
}
