import { readFileSync } from "node:fs";
import { z } from "zod";

const turnSchema = z.object({ id: z.string().min(1), role: z.enum(["user", "assistant"]), content: z.string() });
const sessionSchema = z.object({ id: z.string().min(1), date: z.iso.datetime({ offset: true }), turns: z.array(turnSchema) });
const questionSchema = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  answer: z.string(),
  evidence: z.array(z.string().min(1)).min(1),
  /** Optional question type ("single-fact", "multi-hop", "temporal", ...); the eval reports per category when present. */
  category: z.string().min(1).optional(),
});
const conversationSchema = z.object({
  id: z.string().min(1),
  user_id: z.string().min(1),
  sessions: z.array(sessionSchema).min(1),
  questions: z.array(questionSchema),
});

/** The evaluation input format of issue 4. */
export const datasetSchema = z.object({ conversations: z.array(conversationSchema).min(1) });

export type Dataset = z.infer<typeof datasetSchema>;
export type Conversation = z.infer<typeof conversationSchema>;
export type Question = z.infer<typeof questionSchema>;

/** Reads and validates a data set; throws an Error with a one-line reason. */
export function loadDataset(path: string): Dataset {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message.split("\n")[0]}`);
  }
  const parsed = datasetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid data set ${path}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const dataset = parsed.data;
  for (const conversation of dataset.conversations) {
    const ids = new Set(conversation.sessions.flatMap((s) => s.turns.map((t) => t.id)));
    for (const question of conversation.questions) {
      const missing = question.evidence.find((id) => !ids.has(id));
      if (missing) throw new Error(`invalid data set ${path}: question ${question.id} cites unknown turn ${missing}`);
    }
  }
  return dataset;
}
