import type { BaseMessage } from "@langchain/core/messages";
import type { TokenCounter } from "../../../src/window/index.js";

/**
 * The evaluation's stand-in for the summary model, so the eval needs no model
 * and no network. It is extractive and deterministic: from each user message
 * it keeps the "fact sentences" (those with a digit, or a capitalised word
 * that does not start the sentence and is not "I", i.e. names, places,
 * brands, months); it appends them to the previous summary and, while over
 * `maxTokens`, drops the oldest sentences, so a later value survives an
 * earlier one ("latest value wins" by recency). Assistant messages are left
 * out: here they only echo what the user said. A real model summary is
 * likely better at keeping facts whose sentence has no name or number.
 */
export function extractiveSummary(previous: string | undefined, messages: readonly BaseMessage[], counter: TokenCounter, maxTokens: number): string {
  const sentences = previous ? previous.split("\n").filter((s) => s.length > 0) : [];
  for (const message of messages) {
    if (message.type !== "human" || typeof message.content !== "string") continue;
    for (const sentence of splitSentences(message.content)) if (isFactSentence(sentence) && !sentences.includes(sentence)) sentences.push(sentence);
  }
  while (sentences.length > 0 && counter.countText(sentences.join("\n")) > maxTokens) sentences.shift();
  return sentences.join("\n");
}

export function splitSentences(text: string): string[] {
  return (text.match(/[^.!?]+[.!?]*/g) ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

function isFactSentence(sentence: string): boolean {
  if (/\d/.test(sentence)) return true;
  const words = sentence.split(/\s+/).slice(1);
  return words.some((w) => /^["'(]?[A-Z][a-z]/.test(w) && !/^I('|$)/.test(w));
}

/**
 * Whether the summary holds an evidence turn: some sentence of the turn that
 * contains the question's answer (case-insensitive) appears verbatim in the
 * summary; when no sentence of the turn contains the answer, every sentence
 * of the turn must appear.
 */
export function summaryHolds(summary: string, turnText: string, answer: string): boolean {
  const sentences = splitSentences(turnText);
  const withAnswer = sentences.filter((s) => s.toLowerCase().includes(answer.toLowerCase()));
  if (withAnswer.length > 0) return withAnswer.some((s) => summary.includes(s));
  return sentences.length > 0 && sentences.every((s) => summary.includes(s));
}
