import { describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.js";
import { memoryMigrations } from "../../src/memory/index.js";
import { anyWordQuery } from "../../src/memory/text-query.js";
import { describeBackends } from "../helpers/db.js";

describeBackends("memory migrations", (db) => {
  it("creates the same tables and indexes on every backend, once", async () => {
    expect(await migrate(db(), [memoryMigrations])).toBe(memoryMigrations.migrations.length);
    expect(await migrate(db(), [memoryMigrations])).toBe(0);
    const { rows } = await db().pool.query(
      "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = $1 AND tablename LIKE 'memory_%' ORDER BY 1, 2",
      [db().schema],
    );
    expect(rows.map((r) => `${r.tablename}.${r.indexname}`)).toEqual([
      "memory_blocks.memory_blocks_pkey",
      "memory_counts.memory_counts_pkey",
      "memory_messages.memory_messages_pkey",
      "memory_messages.memory_messages_scope_time_idx",
      "memory_messages.memory_messages_thread_seq_idx",
      "memory_messages.memory_messages_thread_time_idx",
      "memory_messages.memory_messages_tsv_idx",
      "memory_passages.memory_passages_pkey",
      "memory_passages.memory_passages_scope_time_idx",
      "memory_passages.memory_passages_tags_idx",
      "memory_passages.memory_passages_tsv_idx",
      "memory_terms.memory_terms_pkey",
    ]);
    const vectorColumns = await db().pool.query(
      "SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND udt_name = 'vector'",
      [db().schema],
    );
    expect(vectorColumns.rows[0].n).toBe(0);
  });
});

describe("anyWordQuery", () => {
  it("turns a plain sentence into alternatives and leaves search syntax alone", () => {
    expect(anyWordQuery("where does  my sister live")).toBe("where or does or my or sister or live");
    expect(anyWordQuery('"flight to Lisbon"')).toBe('"flight to Lisbon"');
    expect(anyWordQuery("dog -beach")).toBe("dog -beach");
    expect(anyWordQuery("coffee OR tea")).toBe("coffee OR tea");
    expect(anyWordQuery("e-mail address")).toBe("e-mail or address");
  });
});
