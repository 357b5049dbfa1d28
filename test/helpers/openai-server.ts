import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FakeEmbeddings } from "../memory/fake-embeddings.js";

/** One chat-completions request as the server received it. */
export interface RecordedRequest {
  model: string;
  stream: boolean;
  messages: { role: string; content: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools: string[];
  body: Record<string, unknown>;
}

/**
 * What the server answers: text, tool calls, or an HTTP error. A streamed
 * reply with a `gate` sends its first piece of content, then waits for the
 * gate before the rest, so a test can see the client print a partial reply.
 */
export type ServerReply =
  | string
  | { content?: string; toolCalls?: { name: string; args: Record<string, unknown>; id?: string }[]; gate?: Promise<unknown> }
  | { status: number; error: string };

export interface OpenAIServer {
  /** Base URL to give ChatOpenAI (`…/v1`). */
  url: string;
  requests: RecordedRequest[];
  /** The texts of every `/embeddings` request, one array per request. */
  embedded: string[][];
  close(): Promise<void>;
}

export interface OpenAIServerOptions {
  /** Embeds a text for `POST /v1/embeddings`; default a hashed bag of words (FakeEmbeddings, 64 dimensions). */
  embed?: (text: string) => number[];
}

/**
 * A tiny OpenAI-compatible server on an ephemeral port: `POST
 * /v1/chat/completions`, streaming (SSE, with `tool_calls` deltas and a usage
 * chunk) or not, answering from a script and recording every request; and
 * `POST /v1/embeddings`, deterministic.
 *
 * @example
 * const server = await startOpenAIServer(["Hello!"]);
 * const model = new ChatOpenAI({ apiKey: "x", configuration: { baseURL: server.url } });
 */
export async function startOpenAIServer(
  script: ServerReply[] | ((request: RecordedRequest) => ServerReply),
  options: OpenAIServerOptions = {},
): Promise<OpenAIServer> {
  const requests: RecordedRequest[] = [];
  const embedded: string[][] = [];
  const fallback = new FakeEmbeddings();
  const embed = options.embed ?? ((text: string) => fallback.vector(text));
  let position = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: err.message } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === "POST" && req.url?.endsWith("/embeddings")) {
      const body = JSON.parse(await readBody(req)) as { input: string | string[]; model: string; encoding_format?: string };
      const texts = typeof body.input === "string" ? [body.input] : body.input;
      embedded.push(texts);
      // As OpenAI: float32 little-endian in base64 when asked for it.
      const encode = (v: number[]) => (body.encoding_format === "base64" ? Buffer.from(new Float32Array(v).buffer).toString("base64") : v);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          model: body.model,
          data: texts.map((text, index) => ({ object: "embedding", index, embedding: encode(embed(text)) })),
          usage: { prompt_tokens: texts.length, total_tokens: texts.length },
        }),
      );
      return;
    }
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}` } }));
      return;
    }
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    const request: RecordedRequest = {
      model: String(body.model),
      stream: body.stream === true,
      messages: body.messages as RecordedRequest["messages"],
      tools: ((body.tools as { function: { name: string } }[] | undefined) ?? []).map((t) => t.function.name),
      body,
    };
    requests.push(request);
    const reply = typeof script === "function" ? script(request) : (script[position++] ?? "(no more replies)");
    if (typeof reply === "object" && "status" in reply) {
      res.writeHead(reply.status, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: reply.error, type: "server_error" } }));
      return;
    }
    const answer = typeof reply === "string" ? { content: reply } : reply;
    const id = `chatcmpl-${requests.length}`;
    const toolCalls = (answer.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `call_${requests.length}_${i}`,
      type: "function",
      function: { name: c.name, arguments: JSON.stringify(c.args) },
    }));
    const usage = { prompt_tokens: 10 * request.messages.length, completion_tokens: 5, total_tokens: 10 * request.messages.length + 5 };
    const finish = toolCalls.length ? "tool_calls" : "stop";
    if (!request.stream) {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id,
          object: "chat.completion",
          created: 0,
          model: request.model,
          choices: [
            {
              index: 0,
              message: { role: "assistant", content: answer.content ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
              finish_reason: finish,
            },
          ],
          usage,
        }),
      );
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const send = (delta: Record<string, unknown>, finishReason: string | null = null) =>
      res.write(
        `data: ${JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created: 0,
          model: request.model,
          choices: [{ index: 0, delta, finish_reason: finishReason }],
        })}\n\n`,
      );
    send({ role: "assistant", content: "" });
    const pieces = (answer.content ?? "").match(/\S+\s*|\s+/g) ?? [];
    for (const [i, piece] of pieces.entries()) {
      send({ content: piece });
      if (i === 0 && "gate" in answer && answer.gate) await answer.gate;
    }
    toolCalls.forEach((call, index) => {
      // Arguments arrive in pieces, as real servers send them.
      const args = call.function.arguments;
      const half = Math.ceil(args.length / 2);
      send({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] });
      send({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] });
      send({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
    });
    send({}, finish);
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      res.write(`data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 0, model: request.model, choices: [], usage })}\n\n`);
    }
    res.end("data: [DONE]\n\n");
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    embedded,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
