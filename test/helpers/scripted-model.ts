import { BaseChatModel, type BaseChatModelCallOptions, type BindToolsInput } from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { Runnable } from "@langchain/core/runnables";
import { convertToOpenAITool } from "@langchain/core/utils/function_calling";

/** One scripted answer: plain text, or text with tool calls, or an error to throw. */
export type ScriptedReply =
  | string
  | { content?: string; toolCalls?: { name: string; args: Record<string, unknown>; id?: string }[]; throws?: string };

export interface ScriptedCall {
  /** The messages the model received, exactly as sent. */
  messages: BaseMessage[];
  /** Names of the tools bound for this call. */
  tools: string[];
  /** The text of the leading system message, or "" when there is none. */
  system: string;
  /** 0-based number of the call on this model. */
  index: number;
}

export type Script = ScriptedReply[] | ((call: ScriptedCall) => ScriptedReply);

interface ScriptedCallOptions extends BaseChatModelCallOptions {
  tools?: BindToolsInput[];
}

/**
 * A chat model for tests that answers from a script: a list of replies used
 * in order, or a function of the call. It binds tools (recorded per call),
 * emits tool calls, streams its answer word by word (so token streaming
 * paths run), throws when told to, and records every prompt it received.
 *
 * @example
 * const model = new ScriptedChatModel([{ toolCalls: [{ name: "core_memory_append", args: { label: "human", content: "likes tea" } }] }, "Noted."]);
 * model.calls[0].system; // the system prompt of the first call
 */
export class ScriptedChatModel extends BaseChatModel<ScriptedCallOptions, AIMessageChunk> {
  readonly calls: ScriptedCall[] = [];
  /** Tools of the most recent `bindTools`. */
  boundTools: string[] = [];
  /** Reported as the model name, so the token counter of that model is used. */
  readonly model: string;
  /**
   * Milliseconds to wait before each streamed word after the first (0, the
   * default: no wait), so a client sees the answer grow. Settable at any time.
   */
  tokenDelayMs: number;
  private script: Script;
  private position = 0;

  constructor(script: Script, options: { model?: string; tokenDelayMs?: number } = {}) {
    super({});
    this.script = script;
    this.model = options.model ?? "gpt-4o-mini";
    this.tokenDelayMs = options.tokenDelayMs ?? 0;
  }

  _llmType(): string {
    return "scripted";
  }

  /** Replaces the script from now on (e.g. make the next calls fail). */
  setScript(script: Script): void {
    this.script = script;
    this.position = 0;
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<ScriptedCallOptions>): Runnable<BaseLanguageModelInput, AIMessageChunk, ScriptedCallOptions> {
    this.boundTools = tools.map(toolName);
    return this.withConfig({ ...kwargs, tools } as Partial<ScriptedCallOptions>);
  }

  async _generate(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<ChatResult> {
    const reply = this.next(messages, options);
    const message = new AIMessage({
      content: reply.content ?? "",
      tool_calls: toolCallsOf(reply, this.calls.length),
      usage_metadata: usage(messages, reply),
    });
    return { generations: [{ text: reply.content ?? "", message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.next(messages, options);
    const words = (reply.content ?? "").match(/\S+\s*|\s+/g) ?? [];
    for (const [i, word] of words.entries()) {
      if (i > 0 && this.tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.tokenDelayMs));
      const chunk = new ChatGenerationChunk({ text: word, message: new AIMessageChunk({ content: word }) });
      yield chunk;
      await runManager?.handleLLMNewToken(word, undefined, undefined, undefined, undefined, { chunk });
    }
    const calls = toolCallsOf(reply, this.calls.length);
    const last = new AIMessageChunk({
      content: "",
      tool_call_chunks: calls.map((c, index) => ({ name: c.name, args: JSON.stringify(c.args), id: c.id, index, type: "tool_call_chunk" })),
      usage_metadata: usage(messages, reply),
    });
    yield new ChatGenerationChunk({ text: "", message: last });
  }

  private next(messages: BaseMessage[], options: this["ParsedCallOptions"]): { content?: string; toolCalls?: { name: string; args: Record<string, unknown>; id?: string }[] } {
    const first = messages[0];
    const call: ScriptedCall = {
      messages: [...messages],
      tools: (options.tools ?? []).map(toolName),
      system: first && first.getType() === "system" ? first.text : "",
      index: this.calls.length,
    };
    this.calls.push(call);
    const reply =
      typeof this.script === "function"
        ? this.script(call)
        : this.script[this.position++] ?? "(the script has no more replies)";
    const normalised = typeof reply === "string" ? { content: reply } : reply;
    if (normalised.throws) throw new Error(normalised.throws);
    return normalised;
  }
}

function toolName(tool: BindToolsInput): string {
  const named = tool as { name?: unknown };
  if (typeof named.name === "string") return named.name;
  return convertToOpenAITool(tool).function.name;
}

function toolCallsOf(reply: { toolCalls?: { name: string; args: Record<string, unknown>; id?: string }[] }, callIndex: number) {
  return (reply.toolCalls ?? []).map((c, i) => ({
    name: c.name,
    args: c.args,
    id: c.id ?? `call_${callIndex}_${i}`,
    type: "tool_call" as const,
  }));
}

// Rough counts (4 characters a token) so usage numbers flow through the graph.
function usage(messages: BaseMessage[], reply: { content?: string }) {
  const input_tokens = Math.ceil(messages.reduce((n, m) => n + m.text.length, 0) / 4);
  const output_tokens = Math.ceil((reply.content ?? "").length / 4);
  return { input_tokens, output_tokens, total_tokens: input_tokens + output_tokens };
}
