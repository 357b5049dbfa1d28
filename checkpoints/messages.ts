import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from "@langchain/core/messages";

/**
 * The record LangChain's `Serializable.toJSON()` returns for a message, built
 * without its generic machinery. toJSON walks the prototype chain three times
 * through getters that allocate fresh objects, snake-cases every key with
 * three regular expressions and deep-copies every value to escape objects
 * with an `lc` key; for the messages a graph appends at every step that is
 * most of what a checkpoint costs to serialise. Here the per-class parts
 * (id, aliases, key names) are computed once, and a value is used as it is
 * when the copy would equal it: only primitives, arrays and plain objects,
 * none with an `lc` key. Anything else returns undefined and takes the stock
 * path, as does every class not listed here, subclasses included.
 *
 * Each class is checked against the stock toJSON when this module loads
 * (`selfCheck`); a LangChain release that serialises differently turns the
 * shortcut off for good rather than storing different bytes.
 */
export function messageRecord(value: unknown): MessageRecord | undefined {
  if (!enabled || value === null || typeof value !== "object") return undefined;
  const shape = SHAPES.get(Object.getPrototypeOf(value));
  if (shape === undefined) return undefined;
  const message = value as Serialised;
  const kwargs = message.lc_kwargs;
  if (message.lc_serializable !== true || !isPlainObject(kwargs)) return undefined;
  const namespace = message.lc_namespace;
  if (!Array.isArray(namespace) || namespace.length !== 2 || namespace[0] !== NAMESPACE[0] || namespace[1] !== NAMESPACE[1]) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(kwargs)) {
    const field = key in message ? (message as unknown as Record<string, unknown>)[key] : kwargs[key];
    if (!copiesAsItself(field, 0)) return undefined;
    out[shape.jsonKey(key)] = field;
  }
  records++;
  return { lc: 1, type: "constructor", id: shape.id, kwargs: out };
}

/**
 * Which message classes take the shortcut (those whose records matched
 * toJSON's when this module loaded) and how many records it has built, so a
 * test can tell when a LangChain release has turned it off.
 */
export function messageFastPath(): { readonly classes: readonly string[]; readonly records: number } {
  return { classes: [...SHAPES.values()].map((shape) => shape.id.at(-1)!), records };
}

export interface MessageRecord {
  lc: 1;
  type: "constructor";
  id: string[];
  kwargs: Record<string, unknown>;
}

type Serialised = BaseMessage & { lc_kwargs: unknown; lc_namespace: unknown; lc_serializable: unknown };

const NAMESPACE = ["langchain_core", "messages"] as const;
// Deeper values are rare in messages; the stock path handles them (and cycles).
const MAX_DEPTH = 32;

class Shape {
  private readonly keys = new Map<string, string>();

  constructor(
    readonly id: string[],
    private readonly aliases: Record<string, string>,
  ) {}

  /** As LangChain's keyToJson: the alias, else the key in snake_case. */
  jsonKey(key: string): string {
    let json = this.keys.get(key);
    if (json === undefined) {
      json = this.aliases[key] || snakeCase(key);
      this.keys.set(key, json);
    }
    return json;
  }
}

// As LangChain's snakeCase (load/map_keys).
function snakeCase(key: string): string {
  return key
    .replace(/([A-Z]+)([A-Z][a-z0-9]+)/g, "$1_$2")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[-_\s]+/g, "_")
    .toLowerCase();
}

/**
 * True when LangChain's escapeIfNeeded would return a copy of `value` that
 * JSON-serialises exactly as `value` does.
 */
function copiesAsItself(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return typeof value !== "function";
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!copiesAsItself(item, depth + 1)) return false;
    return true;
  }
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  if ("lc" in value || "toJSON" in value || (keys.length === 1 && keys[0] === "__lc_escaped__")) return false;
  for (const key of keys) if (!copiesAsItself((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

/** An object literal's kind: Object.prototype or no prototype at all. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

type MessageClass = { name: string; lc_name(): string; prototype: object };

/** The class's toJSON parts that do not depend on the instance, or undefined when some might. */
function shapeOf(cls: MessageClass, sample: BaseMessage): Shape | undefined {
  const aliases: Record<string, string> = {};
  for (let proto: object | null = cls.prototype; proto; proto = Object.getPrototypeOf(proto)) {
    const secrets = Reflect.get(proto, "lc_secrets", sample) as object | undefined;
    const attributes = Reflect.get(proto, "lc_attributes", sample) as object | undefined;
    if ((secrets && Object.keys(secrets).length > 0) || (attributes && Object.keys(attributes).length > 0)) return undefined;
    Object.assign(aliases, Reflect.get(proto, "lc_aliases", sample));
  }
  return new Shape([...NAMESPACE, cls.lc_name()], aliases);
}

const SAMPLES: [MessageClass, () => BaseMessage][] = [
  [AIMessage, () => new AIMessage({
    content: "a", id: "m1", name: "n",
    tool_calls: [{ id: "c1", name: "search", args: { q: "x", nested: { list: [1, null, true] } }, type: "tool_call" }],
    usage_metadata: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
    additional_kwargs: { extra: { a: [1, 2] } }, response_metadata: { model_name: "m", finishReason: "stop" },
  })],
  [AIMessageChunk, () => new AIMessageChunk({
    content: "a", id: "m4", tool_call_chunks: [{ id: "c1", name: "search", args: '{"q":', index: 0, type: "tool_call_chunk" }],
    usage_metadata: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
  })],
  [HumanMessage, () => new HumanMessage({ content: [{ type: "text", text: "q" }], id: "m2", additional_kwargs: {} })],
  [SystemMessage, () => new SystemMessage({ content: "s", name: "sys", response_metadata: { a: undefined } })],
  [ToolMessage, () => new ToolMessage({ content: "r", tool_call_id: "c1", name: "search", artifact: { rows: [1] }, status: "error", id: "m3" })],
];

const SHAPES = new Map<object, Shape>();
let enabled = true;
let records = 0;

/** Builds each class's shape and keeps it only if its records match toJSON's byte for byte. */
function selfCheck(): void {
  for (const [cls, make] of SAMPLES) {
    const shape = shapeOf(cls, make());
    if (shape === undefined) continue;
    SHAPES.set(cls.prototype, shape);
    const sample = make();
    if (JSON.stringify(messageRecord(sample)) !== JSON.stringify(sample)) SHAPES.delete(cls.prototype);
  }
  enabled = SHAPES.size > 0;
  records = 0;
}

selfCheck();
