import { isBaseMessage, type BaseMessage } from "@langchain/core/messages";
import { z } from "zod";

const message = z.union([
  z.custom<BaseMessage>((value) => isBaseMessage(value)),
  z.object({ role: z.enum(["user", "human"]), content: z.string().trim().min(1, "message content must not be empty") }).loose(),
  z.object({ role: z.enum(["assistant", "ai", "system", "tool"]), content: z.unknown() }).loose(),
]);

/**
 * Run input of the agent graph: new messages for the thread, the last of
 * them from the user.
 *
 * @example
 * agentInputSchema.parse({ messages: [{ role: "user", content: "Hi" }] });
 */
export const agentInputSchema = z.object({
  messages: z
    .array(message)
    .min(1, "send at least one message")
    .refine((list) => isUserMessage(list.at(-1)), "the last message must be the user's"),
});

/** Plain text typed at the CLI as the agent's input. */
export function textInput(text: string): { messages: { role: "user"; content: string }[] } {
  return { messages: [{ role: "user", content: text }] };
}

function isUserMessage(message: unknown): boolean {
  if (isBaseMessage(message)) return message.type === "human";
  const role = (message as { role?: unknown } | undefined)?.role;
  return role === "user" || role === "human";
}
