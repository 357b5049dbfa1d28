import { Annotation, END, START, StateGraph, interrupt, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { z } from "zod";
import { databaseOf } from "threadline";
import { accountExists, readBalance, verifyPin } from "./banking/accounts.js";

export { migrations } from "./banking/accounts.js";

/**
 * A deterministic multi-turn banking flow (no LLM): a balance request asks for
 * the PIN with `interrupt()`, is resumed with `Command({ resume: pin })`, locks
 * the session after three wrong PINs, and answers the balance.
 */
export const MAX_PIN_ATTEMPTS = 3;

export type BankingStatus = "new" | "awaiting_auth" | "authenticated" | "complete" | "locked";

export const BankingState = Annotation.Root({
  message: Annotation<string>,
  account_id: Annotation<string>,
  intent: Annotation<"balance_check" | "unknown" | null>,
  status: Annotation<BankingStatus>,
  attempts: Annotation<number>,
  balance: Annotation<{ amount: string; currency: string } | null>,
  reply: Annotation<string>,
});
type State = typeof BankingState.State;
type Update = typeof BankingState.Update;

export const inputSchema = z.object({
  message: z.string().trim().min(1, "message must not be empty").max(2000),
  account_id: z
    .string()
    .regex(/^ACC-\d{4}$/, "account_id looks like ACC-1001")
    .default("ACC-1001"),
});

/** Text typed at the CLI is the customer's message. */
export const textInput = (text: string) => ({ message: text });

/** What the PIN prompt interrupt carries to the caller. */
export interface PinPrompt {
  prompt: string;
  account_id: string;
  attempts_left: number;
}

const BALANCE_INTENT = /\b(balance|how much|funds|money)\b/i;

async function classify(state: State, config: LangGraphRunnableConfig): Promise<Update> {
  if (state.status === "locked") {
    return { reply: "This session is locked after three wrong PINs. Please call the bank." };
  }
  if (!BALANCE_INTENT.test(state.message)) {
    return { intent: "unknown", status: "complete", reply: "I can check your balance: ask me for it." };
  }
  if (!(await accountExists(databaseOf(config), state.account_id))) {
    return { intent: "balance_check", status: "complete", reply: `There is no account ${state.account_id}.` };
  }
  return { intent: "balance_check", status: "awaiting_auth", attempts: state.attempts ?? 0, balance: null, reply: "" };
}

async function askPin(state: State, config: LangGraphRunnableConfig): Promise<Update> {
  const attemptsLeft = MAX_PIN_ATTEMPTS - (state.attempts ?? 0);
  const prompt: PinPrompt = {
    prompt:
      attemptsLeft === MAX_PIN_ATTEMPTS
        ? `Enter the PIN for account ${state.account_id}.`
        : `Wrong PIN. ${attemptsLeft} attempt${attemptsLeft === 1 ? "" : "s"} left for account ${state.account_id}.`,
    account_id: state.account_id,
    attempts_left: attemptsLeft,
  };
  const pin = String(interrupt(prompt)).trim();
  const ok = /^\d{4,6}$/.test(pin) && (await verifyPin(databaseOf(config), state.account_id, pin));
  if (ok) return { status: "authenticated", attempts: 0 };
  const attempts = (state.attempts ?? 0) + 1;
  if (attempts >= MAX_PIN_ATTEMPTS) {
    return { attempts, status: "locked", reply: "Too many wrong PINs: this session is locked." };
  }
  return { attempts, status: "awaiting_auth" };
}

async function lookupBalance(state: State, config: LangGraphRunnableConfig): Promise<Update> {
  const row = await readBalance(databaseOf(config), state.account_id);
  if (!row) return { status: "complete", reply: `There is no account ${state.account_id}.` };
  const cents = BigInt(row.balanceCents);
  const amount = `${cents / 100n}.${(cents % 100n).toString().padStart(2, "0")}`;
  return { balance: { amount, currency: row.currency } };
}

function answer(state: State): Update {
  const { amount, currency } = state.balance!;
  return { status: "complete", reply: `The balance of ${state.account_id} is ${amount} ${currency}.` };
}

export interface BankingGraphOptions {
  /** Called after every node, e.g. for tracing or to slow a demo down. */
  afterNode?: (node: string) => Promise<void> | void;
}

/** Builds the uncompiled banking graph, for composing into other graphs. */
export function createBankingGraph(options: BankingGraphOptions = {}) {
  const wrap =
    <A extends unknown[], R>(name: string, fn: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      const result = await fn(...args);
      await options.afterNode?.(name);
      return result;
    };
  return new StateGraph(BankingState)
    .addNode("classify", wrap("classify", classify))
    .addNode("ask_pin", wrap("ask_pin", askPin))
    .addNode("lookup_balance", wrap("lookup_balance", lookupBalance))
    .addNode("answer", wrap("answer", answer))
    .addEdge(START, "classify")
    .addConditionalEdges("classify", (s: State) => (s.status === "awaiting_auth" ? "ask_pin" : END), ["ask_pin", END])
    .addConditionalEdges(
      "ask_pin",
      (s: State) => (s.status === "authenticated" ? "lookup_balance" : s.status === "locked" ? END : "ask_pin"),
      ["lookup_balance", "ask_pin", END],
    )
    .addEdge("lookup_balance", "answer")
    .addEdge("answer", END);
}

/** Compiled without a checkpointer: the runtime (or LangGraph's tooling) attaches one. */
export const graph = createBankingGraph().compile({ name: "banking" });
