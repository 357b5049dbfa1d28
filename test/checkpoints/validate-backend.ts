import { validate } from "@langchain/langgraph-checkpoint-validation";
import { ThreadlineSaver } from "../../checkpoints/index.js";
import { type BackendName, type TestDatabase, openTestDatabase } from "../helpers/db.js";

/**
 * Runs LangGraph's checkpointer conformance suite against the saver on one
 * backend, each checkpointer on its own fresh schema.
 */
export function validateOn(backend: BackendName): void {
  const databases = new WeakMap<ThreadlineSaver, TestDatabase>();
  validate({
    checkpointerName: `ThreadlineSaver [${backend}]`,
    async createCheckpointer() {
      const db = await openTestDatabase(backend);
      const saver = await ThreadlineSaver.create(db);
      databases.set(saver, db);
      return saver;
    },
    async destroyCheckpointer(saver) {
      await databases.get(saver)?.dispose();
    },
  });
}
