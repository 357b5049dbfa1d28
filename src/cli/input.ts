import type { Pregel } from "@langchain/langgraph";
import { InvalidInputError } from "../errors.js";
import type { LoadedGraph } from "../graph/loader.js";
import { UsageError } from "./usage.js";

/** The state channels a run's input may write: the graph's own, not LangGraph's internal ones. */
export function inputChannels(graph: Pregel<any, any, any, any, any>): string[] {
  return Object.keys(graph.channels).filter((name) => !name.startsWith("__") && !name.includes(":"));
}

/**
 * How plain text becomes a graph's input: the module's `textInput` when it
 * has one, else a human message on a graph with a `messages` channel
 * (MessagesAnnotation and friends); any other graph takes JSON only.
 */
export function textInputOf(loaded: LoadedGraph, channels: readonly string[]): (text: string) => unknown {
  if (loaded.textInput) return loaded.textInput;
  if (channels.includes("messages")) return (text) => ({ messages: [{ type: "human", content: text }] });
  return () => {
    throw new InvalidInputError(
      `graph "${loaded.id}" has no messages channel to put text in; give --input as a JSON object with some of: ${channels.join(", ") || "(no channels)"}`,
    );
  };
}

/**
 * `--input` is JSON when it looks like a JSON object or array, otherwise
 * text (see textInputOf). Broken JSON is an error rather than a message, so
 * a typo never becomes a silent conversation turn, and so is an object key
 * the graph has no channel for, which LangGraph would silently drop.
 */
export function parseInput(raw: string, loaded: LoadedGraph, channels: readonly string[]): unknown {
  const trimmed = raw.trim();
  if (!trimmed) throw new InvalidInputError("--input is empty");
  if (!(trimmed.startsWith("{") || trimmed.startsWith("["))) return textInputOf(loaded, channels)(raw);
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    throw new InvalidInputError(`--input is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError("--input must be a JSON object (or text)");
  const unknown = Object.keys(value).filter((key) => !channels.includes(key));
  if (unknown.length) {
    throw new InvalidInputError(
      `graph "${loaded.id}" has no input ${unknown.map((k) => `"${k}"`).join(", ")}; its channels: ${channels.join(", ") || "none"}`,
    );
  }
  return value;
}

/** `--resume` is a JSON object or array when it parses as one, else the string as typed. */
export function parseResume(raw: string): unknown {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return JSON.parse(trimmed);
    } catch (err) {
      throw new InvalidInputError(`--resume is not valid JSON: ${(err as Error).message}`);
    }
  }
  return raw;
}

/** A JSON object given on the command line. */
export function parseJsonObject(raw: string, flag: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new InvalidInputError(`${flag} is not valid JSON: ${(err as Error).message}`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InvalidInputError(`${flag} must be a JSON object`);
  return value as Record<string, unknown>;
}

export function parsePositiveInt(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive whole number, not "${raw}"`);
  return n;
}
