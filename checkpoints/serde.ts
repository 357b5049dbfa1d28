import {
  AIMessage,
  AIMessageChunk,
  ChatMessage,
  ChatMessageChunk,
  FunctionMessage,
  FunctionMessageChunk,
  HumanMessage,
  HumanMessageChunk,
  RemoveMessage,
  SystemMessage,
  SystemMessageChunk,
  ToolMessage,
  ToolMessageChunk,
} from "@langchain/core/messages";
import { DeltaSnapshot, JsonPlusSerializer, type SerializerProtocol } from "@langchain/langgraph-checkpoint";
import type { TypedBytes } from "./body.js";
import { isPlainObject, messageRecord } from "./messages.js";

type MessageClass = new (fields: Record<string, unknown>) => unknown;

// The classes LangChain's loader finds under ["langchain_core", "messages", name].
const MESSAGE_CLASSES = new Map<string, MessageClass>(
  Object.entries({
    AIMessage, AIMessageChunk, ChatMessage, ChatMessageChunk, FunctionMessage, FunctionMessageChunk,
    HumanMessage, HumanMessageChunk, RemoveMessage, SystemMessage, SystemMessageChunk, ToolMessage, ToolMessageChunk,
  }) as [string, MessageClass][],
);

const SLOW = Symbol("slow");
const decoder = new TextDecoder();

/** JSON values (de)serialised by the shortcuts here, and those handed to the stock path. */
const counts = { dumpedFast: 0, dumpedStock: 0, loadedFast: 0, loadedStock: 0 };

/**
 * How often the shortcuts served and how often the stock path did: a
 * LangChain release that changes its records sends every message to the
 * stock path, which still works, only slower, so a test watches this.
 */
export function serdeFastPath(): Readonly<typeof counts> {
  return { ...counts };
}

/**
 * LangGraph's serialiser, with shortcuts that produce exactly what it does.
 * dumpsTypedSync: the stock dumpsTyped works synchronously and only then
 * wraps its result in a promise; awaiting it lets the graph's other work run
 * before a put's statement is written, so that work cannot overlap the round
 * trip. It also walks every object for cycles before stringifying it; here
 * the native JSON.stringify goes first, and only a value it refuses (a
 * cycle) takes the stock path. loadsTyped: the stock reviver awaits every key
 * of every object and then hands each message to LangChain's generic loader
 * as a string to parse again, which makes reading a long history slow; plain
 * JSON and LangChain messages are rebuilt directly here, the same way the
 * loader builds them, and anything else still goes through the stock path.
 */
export class ThreadlineSerializer extends JsonPlusSerializer {
  dumpsTypedSync(value: unknown): [string, Uint8Array] {
    if (value instanceof Uint8Array) return ["bytes", value];
    let text: string;
    try {
      const form = fastForm(value);
      text = isPlainJson(form, 0) ? JSON.stringify(form) : JSON.stringify(form, replace);
    } catch {
      counts.dumpedStock++;
      return ["json", this._dumps(value)];
    }
    counts.dumpedFast++;
    return ["json", Buffer.from(text, "utf8")];
  }

  override async loadsTyped(type: string, data: Uint8Array | string): Promise<unknown> {
    if (type !== "json") return super.loadsTyped(type, data);
    const text = typeof data === "string" ? data : decoder.decode(data);
    const fast = revive(JSON.parse(text));
    if (fast !== SLOW) {
      counts.loadedFast++;
      return fast;
    }
    counts.loadedStock++;
    return this._loads(text);
  }
}

/**
 * The value with its messages replaced by the records their toJSON would
 * return (messages.ts), for the shapes a step writes: a message (a list
 * item) or an array holding messages (a node's write). Anything else is
 * returned as it is.
 */
function fastForm(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const record = messageRecord(value[i]);
      if (record === undefined) continue;
      out ??= value.slice();
      out[i] = record;
    }
    return out ?? value;
  }
  return messageRecord(value) ?? value;
}

/**
 * True when the replacer would return every part of `value` unchanged, so
 * the native JSON.stringify can run without calling back into JavaScript for
 * each key: strings, numbers, booleans, null, arrays without holes or
 * undefined, and plain objects without undefined values, toJSON or the shape
 * of a Send.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return true;
    case "object":
      break;
    default:
      return false;
  }
  if (depth > 32) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] === undefined || !isPlainJson(value[i], depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const record = value;
  if ("toJSON" in record || record.lg_name === "Send") return false;
  for (const key in record) if (!isPlainJson(record[key], depth + 1)) return false;
  return true;
}

/** The stock serialiser's replacer: types JSON has no form for, as LangGraph writes them. */
function replace(_key: string, value: unknown): unknown {
  if (value === undefined) return { lc: 2, type: "undefined" };
  if (value === null || typeof value !== "object") return value;
  if (value instanceof DeltaSnapshot) return { lc: 2, type: "delta_snapshot", value: value.value };
  if (value instanceof Set || value instanceof Map) return constructorRecord(value.constructor, undefined, [Array.from(value)]);
  if (value instanceof RegExp) return constructorRecord(RegExp, undefined, [value.source, value.flags]);
  if (value instanceof Error) return constructorRecord(Error, undefined, [value.message]);
  const send = value as { lg_name?: unknown; node?: unknown; args?: unknown; timeout?: unknown };
  if (send.lg_name === "Send") return { node: send.node, args: send.args, ...(send.timeout !== undefined ? { timeout: send.timeout } : {}) };
  if (value instanceof Uint8Array) return constructorRecord(Uint8Array, "from", [Array.from(value)]);
  return value;
}

function constructorRecord(constructor: { name: string }, method: string | undefined, args: unknown[]) {
  return { lc: 2, type: "constructor", id: [constructor.name], method: method ?? null, args, kwargs: {} };
}

/** Serialises values at once when the serialiser can, else through its promises. */
export function serialiseAll(serde: SerializerProtocol, values: readonly unknown[]): TypedBytes[] | Promise<TypedBytes[]> {
  if (serde instanceof ThreadlineSerializer) {
    return values.map((value) => {
      const [type, data] = serde.dumpsTypedSync(value);
      return { type, data };
    });
  }
  return Promise.all(
    values.map(async (value) => {
      const [type, data] = await serde.dumpsTyped(value);
      return { type, data };
    }),
  );
}

/** Plain JSON as parsed, messages as LangChain's loader would build them; SLOW for anything else LangChain-shaped. */
function revive(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = revive(value[i]);
      if (item === SLOW) return SLOW;
      out[i] = item;
    }
    return out;
  }
  const record = value as Record<string, unknown>;
  if ("__lc_escaped__" in record) return SLOW;
  if ("lc" in record) return reviveMessage(record);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const item = revive(record[key]);
    if (item === SLOW) return SLOW;
    out[key] = item;
  }
  return out;
}

function reviveMessage(record: Record<string, unknown>): unknown {
  const id = record.id;
  if (record.lc !== 1 || record.type !== "constructor" || !Array.isArray(id) || id.length !== 3) return SLOW;
  if (id[0] !== "langchain_core" || id[1] !== "messages") return SLOW;
  const cls = MESSAGE_CLASSES.get(id[2] as string);
  const kwargs = record.kwargs;
  if (!cls || kwargs === null || typeof kwargs !== "object" || Array.isArray(kwargs)) return SLOW;
  // Nested LangChain objects are rare in messages; the stock path handles them.
  if (containsLangChainObject(kwargs)) return SLOW;
  const fields = revive(kwargs) as Record<string, unknown> | typeof SLOW;
  if (fields === SLOW) return SLOW;
  const aliases = invertedAliases(cls);
  const mapped: Record<string, unknown> = {};
  for (const key of Object.keys(fields)) mapped[aliases[key] || camelCase(key)] = fields[key];
  return new cls(mapped);
}

function containsLangChainObject(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(containsLangChainObject);
  if ("lc" in value || "__lc_escaped__" in value) return true;
  return Object.values(value).some(containsLangChainObject);
}

const aliasCache = new Map<MessageClass, Record<string, string>>();

// As LangChain's loader: every lc_aliases along the prototype chain, inverted.
function invertedAliases(cls: MessageClass): Record<string, string> {
  let inverted = aliasCache.get(cls);
  if (!inverted) {
    const aliases: Record<string, string> = {};
    for (let current: unknown = cls; current && (current as { prototype?: object }).prototype; current = Object.getPrototypeOf(current)) {
      Object.assign(aliases, Reflect.get((current as { prototype: object }).prototype, "lc_aliases"));
    }
    inverted = Object.fromEntries(Object.entries(aliases).map(([key, value]) => [value, key]));
    aliasCache.set(cls, inverted);
  }
  return inverted;
}

// As LangChain's keyFromJson: snake_case keys become camelCase.
function camelCase(key: string): string {
  const trimmed = key.trim();
  if (!/[-_\s]/.test(trimmed)) return trimmed;
  return trimmed.replace(/[-_\s]+/g, "_").toLowerCase().replace(/_+([a-z0-9])/g, (_, char: string) => char.toUpperCase());
}
