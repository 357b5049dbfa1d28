import { AIMessage, HumanMessage } from "@langchain/core/messages";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { END, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import type { RunnableConfig } from "@langchain/core/runnables";

const WORDS = (
  "agent thread checkpoint durable runtime message state graph node edge tool call result " +
  "postgres table index query latency storage history replay resume interrupt stream token"
).split(" ");

/** A deterministic ~200-character sentence, different for every `n`. */
export function sentence(n: number): string {
  let seed = (n + 1) * 2654435761;
  const words: string[] = [];
  let length = 0;
  while (length < 200) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const word = WORDS[seed % WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return `${n}: ${words.join(" ")}`.slice(0, 200);
}

function route(next: string) {
  return (state: typeof MessagesAnnotation.State, config: RunnableConfig) =>
    state.messages.length >= (config.configurable?.target as number) ? END : next;
}

function node(name: string) {
  return (state: typeof MessagesAnnotation.State) => ({
    messages: [new AIMessage({ content: sentence(state.messages.length), name })],
  });
}

/**
 * The benchmark graph: three nodes in a loop over MessagesAnnotation, each
 * appending one ~200-character AIMessage, until the thread holds
 * `configurable.target` messages.
 */
export function buildGraph(checkpointer?: BaseCheckpointSaver) {
  return new StateGraph(MessagesAnnotation)
    .addNode("a", node("a"))
    .addNode("b", node("b"))
    .addNode("c", node("c"))
    .addEdge(START, "a")
    .addConditionalEdges("a", route("b"), ["b", END])
    .addConditionalEdges("b", route("c"), ["c", END])
    .addConditionalEdges("c", route("a"), ["a", END])
    .compile({ checkpointer });
}

export type BenchGraph = ReturnType<typeof buildGraph>;

/** Input that starts a thread, or resumes it with no new message. */
export function inputFor(first: boolean) {
  return { messages: first ? [new HumanMessage("start")] : [] };
}
