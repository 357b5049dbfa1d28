import { describe, expect, it } from "vitest";
import { ThreadlineSaver, resolveSaverOptions } from "../../checkpoints/index.js";
import { describeBackends } from "../helpers/db.js";

describeBackends("saver options", (db, backend) => {
  it("are the same whether the saver is constructed or created", async () => {
    const created = await ThreadlineSaver.create(db());
    expect(new ThreadlineSaver(db()).options).toEqual(created.options);
    const given = { pageSize: 7, holdWritesMs: 0, retries: 2, defaultTtl: { ttlMs: 60_000, policy: "fixed" as const } };
    expect(new ThreadlineSaver(db(), given).options).toEqual((await ThreadlineSaver.create(db(), given)).options);
  });

  it("follow the backend", async () => {
    const { options } = await ThreadlineSaver.create(db());
    const postgres = backend === "postgres";
    expect(options).toMatchObject({ preparedStatements: postgres, maxConcurrentWrites: postgres ? 2 : 1, synchronousCommit: false });
  });
});

describe("resolveSaverOptions", () => {
  it("keeps what is given and fills in the rest", () => {
    expect(resolveSaverOptions("pglite", { preparedStatements: true, pageSize: 0.5 })).toEqual({
      defaultTtl: undefined,
      pageSize: 1,
      cachedThreads: 1_000,
      itemCacheSize: 20_000,
      synchronousCommit: false,
      holdWritesMs: 5,
      preparedStatements: true,
      maxConcurrentWrites: 1,
      retries: 5,
    });
  });
});
