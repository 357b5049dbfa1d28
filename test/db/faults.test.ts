import { resolve } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import pg from "pg";
import { isDatabaseTimeout, isTransientDatabaseError, translateDatabaseError } from "../../src/db/errors.js";
import { openDatabase } from "../../src/db/open.js";
import { readEnvironment } from "../../src/cli/env.js";
import { chatFault, rethrowRunFault } from "../../src/cli/faults.js";
import { main } from "../../src/cli/main.js";
import { ConflictError, DatabaseUnavailableError, InvalidInputError, RetryableError } from "../../src/errors.js";
import { driveRun } from "../../src/cli/drive.js";
import { openCore, type Core } from "../../src/core.js";
import { createCheckpointer } from "../../src/graph/checkpointer.js";
import { loadProject } from "../../src/graph/project.js";
import { ANONYMOUS_OWNER } from "../../src/owners.js";
import type { ThreadStateView } from "../../src/threads/state.js";
import { executions, stepNames } from "../fixtures/fault-steps.js";
import { postgresBinaries, startThrowawayPostgres, type ThrowawayPostgres } from "../helpers/throwaway-postgres.js";

const PROJECT = resolve(import.meta.dirname, "../fixtures/faults.langgraph.json");

/** An error shaped like node-postgres' DatabaseError. */
function sqlError(code: string, message: string): Error {
  return Object.assign(new pg.DatabaseError(message, 0, "error"), { code });
}

/** An error shaped like a Node socket error. */
function socketError(code: string, message = `connect ${code} 127.0.0.1:5432`): Error {
  return Object.assign(new Error(message), { code, errno: -1, syscall: "connect" });
}

describe("translateDatabaseError", () => {
  it.each([
    ["connection refused", socketError("ECONNREFUSED"), "connect ECONNREFUSED 127.0.0.1:5432"],
    ["connection reset", socketError("ECONNRESET", "read ECONNRESET"), "read ECONNRESET"],
    ["broken pipe", socketError("EPIPE", "write EPIPE"), "write EPIPE"],
    ["connection dropped", new Error("Connection terminated unexpectedly"), "Connection terminated unexpectedly"],
    ["a client that lost its connection", new Error("Client has encountered a connection error and is not queryable"), "Client has encountered a connection error and is not queryable"],
    ["admin shutdown", sqlError("57P01", "terminating connection due to administrator command"), "terminating connection due to administrator command (57P01)"],
    ["crash shutdown", sqlError("57P02", "terminating connection because of crash of another server process"), "terminating connection because of crash of another server process (57P02)"],
    ["server starting or stopping", sqlError("57P03", "the database system is shutting down"), "the database system is shutting down (57P03)"],
    ["connection exception", sqlError("08006", "connection failure"), "connection failure (08006)"],
    ["too many connections", sqlError("53300", "sorry, too many clients already"), "sorry, too many clients already (53300)"],
    [
      "a refused connection on every address of a host",
      Object.assign(new AggregateError([socketError("ECONNREFUSED", "connect ECONNREFUSED ::1:5432"), socketError("ECONNREFUSED")]), { code: "ECONNREFUSED" }),
      "connect ECONNREFUSED ::1:5432",
    ],
  ])("%s → DatabaseUnavailableError, transient", (_, err, reason) => {
    const typed = translateDatabaseError(err);
    expect(typed).toBeInstanceOf(DatabaseUnavailableError);
    expect(typed).toMatchObject({ code: "database_unavailable", reason, timedOut: false, cause: err });
    expect((typed as Error).message).toBe(`the database became unavailable (${reason})`);
    expect(isTransientDatabaseError(err)).toBe(true);
    expect(isTransientDatabaseError(typed)).toBe(true);
    expect(isDatabaseTimeout(err)).toBe(false);
  });

  it.each([
    ["statement_timeout", sqlError("57014", "canceling statement due to statement timeout"), "canceling statement due to statement timeout (57014)"],
    ["query_timeout (client side)", new Error("Query read timeout"), "Query read timeout"],
    [
      "connect timeout",
      new Error("Connection terminated due to connection timeout", { cause: new Error("Connection terminated unexpectedly") }),
      "Connection terminated due to connection timeout",
    ],
    ["waiting for a pooled connection", new Error("timeout exceeded when trying to connect"), "timeout exceeded when trying to connect"],
    ["TCP timeout", socketError("ETIMEDOUT", "connect ETIMEDOUT 10.0.0.1:5432"), "connect ETIMEDOUT 10.0.0.1:5432"],
  ])("%s → DatabaseUnavailableError that timed out, not transient", (_, err, reason) => {
    const typed = translateDatabaseError(err);
    expect(typed).toBeInstanceOf(DatabaseUnavailableError);
    expect(typed).toMatchObject({ reason, timedOut: true });
    expect((typed as Error).message).toBe(`the database stopped answering (${reason})`);
    expect(isTransientDatabaseError(err)).toBe(false);
    expect(isDatabaseTimeout(err)).toBe(true);
  });

  it("names the location and the thread when given", () => {
    const typed = translateDatabaseError(new Error("Connection terminated unexpectedly"), { location: "db:5432/app", threadId: "t1" });
    expect((typed as Error).message).toBe("the database at db:5432/app became unavailable during the run on thread t1 (Connection terminated unexpectedly)");
    expect(typed).toMatchObject({ threadId: "t1" });
    // An error translated further down gets the thread added, keeping its reason and cause.
    const below = translateDatabaseError(socketError("ECONNREFUSED")) as DatabaseUnavailableError;
    const named = translateDatabaseError(below, { location: "db:5432/app", threadId: "t2" }) as DatabaseUnavailableError;
    expect(named.message).toBe("the database at db:5432/app became unavailable during the run on thread t2 (connect ECONNREFUSED 127.0.0.1:5432)");
    expect(named.cause).toBe(below.cause);
    expect(translateDatabaseError(named, { threadId: "t3" })).toBe(named);
  });

  it("unique violation → ConflictError; serialization failure and deadlock → RetryableError (transient)", () => {
    const dup = sqlError("23505", 'duplicate key value violates unique constraint "t_pkey"');
    expect(translateDatabaseError(dup)).toBeInstanceOf(ConflictError);
    expect(translateDatabaseError(dup)).toMatchObject({ code: "conflict", cause: dup });
    expect(isTransientDatabaseError(dup)).toBe(false);
    for (const err of [sqlError("40001", "could not serialize access due to concurrent update"), sqlError("40P01", "deadlock detected")]) {
      const typed = translateDatabaseError(err);
      expect(typed).toBeInstanceOf(RetryableError);
      expect(typed).toMatchObject({ code: "retry", cause: err });
      expect(isTransientDatabaseError(err)).toBe(true);
      expect(isTransientDatabaseError(typed)).toBe(true);
    }
  });

  it("leaves everything else as it is", () => {
    const others: unknown[] = [
      sqlError("42P01", 'relation "nope" does not exist'),
      sqlError("23503", "insert or update violates foreign key constraint"),
      new Error("boom"),
      new InvalidInputError("bad"),
      // Another client's socket fault in a cause (a model server down) is not the database's.
      new TypeError("fetch failed", { cause: socketError("ECONNREFUSED") }),
      "a string",
      undefined,
      null,
    ];
    for (const err of others) {
      expect(translateDatabaseError(err)).toBe(err);
      expect(isTransientDatabaseError(err)).toBe(false);
    }
    expect(isTransientDatabaseError(socketError("ENOTFOUND", "getaddrinfo ENOTFOUND nohost"))).toBe(false);
  });
});

describe("the CLI's way on after a database fault", () => {
  const target = { graphId: "g", threadId: "t1", userId: "ada" };
  const fault = (timedOut = false) =>
    translateDatabaseError(timedOut ? new Error("Query read timeout") : new Error("Connection terminated unexpectedly"), {
      location: "h:5432/db",
      threadId: "t1",
    });
  // A core whose thread registry answers with `thread` and, for its state, a
  // checkpoint (when given), the nodes next and the pending interrupts.
  const fakeCore = (thread: unknown, state: { checkpointId?: string; next?: string[]; interrupts?: { value: unknown }[] } = {}) =>
    ({
      threads: {
        find: async () => thread,
        state: async (): Promise<ThreadStateView> => ({
          values: {},
          next: state.next ?? [],
          tasks: [],
          checkpoint: state.checkpointId ? { threadId: "t1", checkpointNs: "", checkpointId: state.checkpointId } : null,
          parentCheckpoint: null,
          metadata: {},
          createdAt: null,
          interrupts: state.interrupts?.length ? { task: state.interrupts } : {},
        }),
      },
    }) as unknown as Core;
  const hint = async (core: Core, err = fault()) => {
    const thrown = await rethrowRunFault(err, core, target).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(DatabaseUnavailableError);
    return (thrown as Error).message;
  };
  const prefix = "the database at h:5432/db became unavailable during the run on thread t1 (Connection terminated unexpectedly); ";

  it("reads where the thread stands when the database answers", async () => {
    const unreachable = { threads: { find: () => Promise.reject(new Error("Connection terminated unexpectedly")) } } as unknown as Core;
    expect(await hint(unreachable)).toBe(`${prefix}once it is back, continue with: threadline run g --thread t1 --user ada`);
    expect(await hint(fakeCore({}, { checkpointId: "c", next: ["step3"] }))).toBe(`${prefix}continue with: threadline run g --thread t1 --user ada`);
    expect(await hint(fakeCore({}, { checkpointId: "c", next: ["ask"], interrupts: [{ value: 1 }] }))).toBe(
      `${prefix}the thread waits for input: answer it with: threadline run g --thread t1 --user ada --resume <value>`,
    );
    expect(await hint(fakeCore(undefined))).toBe(`${prefix}nothing of the run was saved: run the same command again`);
    expect(await hint(fakeCore({}, {}))).toBe(`${prefix}nothing of the run was saved: run the same command again`);
    expect(await hint(fakeCore({}, { checkpointId: "c" }))).toMatch(
      /nothing is left to run on the thread; if its state \(threadline threads show t1 --user ada\) does not hold this run's input, run the same command again$/,
    );
  });

  it("does not wait for a server that stopped answering, and passes other errors through", async () => {
    const never = { threads: { find: () => new Promise(() => undefined) } } as unknown as Core;
    expect(await hint(never, fault(true) as DatabaseUnavailableError)).toMatch(
      /stopped answering during the run on thread t1 \(Query read timeout\); once it is back, continue with: threadline run g --thread t1 --user ada$/,
    );
    const other = new InvalidInputError("no");
    await expect(rethrowRunFault(other, never, target)).rejects.toBe(other);
  });

  it("points a chat back at the same chat command", () => {
    const err = chatFault(socketError("ECONNRESET", "read ECONNRESET"), "h:5432/db", { graphId: "agent", threadId: "trip", userId: "ada" });
    expect((err as Error).message).toBe(
      "the database at h:5432/db became unavailable during the run on thread trip (read ECONNRESET); once it is back, continue with: threadline chat agent --thread trip --user ada",
    );
    expect(chatFault(new Error("boom"), "h", { graphId: "a", threadId: "t", userId: "u" })).toMatchObject({ message: "boom" });
  });
});

describe("timeout settings", () => {
  it("are read from the environment and refused in one line when malformed", async () => {
    expect(readEnvironment({ THREADLINE_CONNECT_TIMEOUT_MS: "2500", THREADLINE_STATEMENT_TIMEOUT_MS: " 30000 " }).database()).toMatchObject({
      connectTimeoutMs: 2500,
      statementTimeoutMs: 30000,
    });
    expect(readEnvironment({}).database()).toMatchObject({ connectTimeoutMs: undefined, statementTimeoutMs: undefined });
    for (const [name, value] of [
      ["THREADLINE_CONNECT_TIMEOUT_MS", "10s"],
      ["THREADLINE_STATEMENT_TIMEOUT_MS", "0"],
      ["THREADLINE_STATEMENT_TIMEOUT_MS", "-5"],
      ["THREADLINE_STATEMENT_TIMEOUT_MS", "99999999999"],
    ] as const) {
      const err: string[] = [];
      const env = readEnvironment({ THREADLINE_PROJECT: PROJECT, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", [name]: value });
      const code = await main(["run", "slow_steps", "--thread", "t", "--input", "go"], env, { out: () => undefined, err: (l) => err.push(l) });
      expect(code).toBe(1);
      expect(err).toEqual([`threadline: ${name} must be a whole number of milliseconds from 1 to 2147483647, got "${value}"`]);
    }
  });
});

const binaries = postgresBinaries();

describe.skipIf(!binaries)("a private Postgres server going away", () => {
  let server: ThrowawayPostgres;
  // Connect and statement timeouts of 2 s: a paused server is reported about
  // 3 s later (the client-side query timeout adds half the statement timeout).
  const TIMEOUT_MS = 2_000;
  const urlOf = (db: string) => server.url.replace(/\/postgres$/, `/${db}`);

  beforeAll(async () => {
    // A commit that does not wait for the disk leaves its WAL in the server's
    // memory until the WAL writer wakes; the longest delay makes a crash of
    // the server lose every such commit, the harshest setting there is. The
    // crashes here kill the server's processes (pg_ctl stop -m immediate),
    // not the machine: what they lose is WAL not yet handed to the kernel,
    // which fsync does not change, so fsync is off only to spare each restart
    // its recovery checkpoint's disk waits.
    server = await startThrowawayPostgres({ settings: { wal_writer_delay: "10s", fsync: "off" } });
    await server.query("CREATE DATABASE faults");
    // A database tuned for throughput: commits do not wait for the disk
    // unless a transaction asks to.
    await server.query("CREATE DATABASE lossy");
    await server.query("ALTER DATABASE lossy SET synchronous_commit = off");
  });

  afterAll(async () => {
    await server?.dispose();
  });

  // A case that failed half-way must not leave the next one without a server.
  beforeEach(async () => {
    await server.resume();
    await server.start();
  });

  const cliEnv = (db: string) =>
    readEnvironment({
      DATABASE_URL: urlOf(db),
      THREADLINE_PROJECT: PROJECT,
      THREADLINE_CONNECT_TIMEOUT_MS: String(TIMEOUT_MS),
      THREADLINE_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS),
    });

  async function cli(argv: string[], env: ReturnType<typeof readEnvironment>, onOut?: (line: string) => void) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, env, {
      out: (line) => {
        out.push(line);
        onOut?.(line);
      },
      err: (line) => err.push(line),
    });
    return { code, out, err };
  }

  /** Cuts the database off once the run has reported step 2, runs the command it printed, and checks the thread ends complete. */
  async function cutOffAndContinue(threadId: string, cut: () => Promise<void>, heal: () => Promise<void>, expected: RegExp, withinMs: number) {
    const env = cliEnv("faults");
    let cutting: Promise<void> | undefined;
    let cutAt = 0;
    const run = await cli(["run", "slow_steps", "--thread", threadId, "--user", "ada", "--input", "go", "--verbose"], env, (line) => {
      if (line === "· step2" && !cutting) {
        cutAt = performance.now();
        cutting = cut();
      }
    });
    const reportedAfter = performance.now() - cutAt;
    await cutting;
    expect(run.code).toBe(1);
    expect(run.err).toHaveLength(1);
    const location = `127.0.0.1:${server.port}/faults`;
    const continueWith = `threadline run slow_steps --thread ${threadId} --user ada`;
    expect(run.err[0]).toMatch(expected);
    expect(run.err[0]).toContain(`threadline: the database at ${location} `);
    expect(run.err[0]).toContain(` during the run on thread ${threadId} (`);
    expect(run.err[0]!.endsWith(`; once it is back, continue with: ${continueWith}`)).toBe(true);
    expect(reportedAfter).toBeLessThan(withinMs);

    await heal();
    const printed = run.err[0]!.split("continue with: ")[1]!.split(" ");
    expect(printed[0]).toBe("threadline");
    const resumed = await cli([...printed.slice(1), "--json"], env);
    expect(resumed.err).toEqual([]);
    expect(resumed.code).toBe(0);
    const outcome = JSON.parse(resumed.out.at(-1)!);
    expect(outcome).toMatchObject({ status: "complete", next: [], values: { ran: stepNames(5) } });
    // Every node ran, none more than once more: the step in flight, and (by
    // default steps commit without waiting for the disk) a step the crash
    // took before the WAL writer saved it, execute again.
    const counts = executions(threadId);
    expect(Object.keys(counts).sort()).toEqual(stepNames(5));
    expect(Object.values(counts).every((n) => n <= 2)).toBe(true);
  }

  it("a server stopped mid-run: one typed line naming the thread and the command that continues it", async () => {
    await cutOffAndContinue(
      "stopped",
      () => server.stop("immediate"),
      () => server.start(),
      /became unavailable during the run on thread stopped \((Connection terminated unexpectedly|connect ECONNREFUSED [^)]*|.*\(57P0[123]\))\)/,
      // A refused or dropped connection fails at once, but the saver sends a
      // step's write again for about 3 s (100 ms doubling, 5 attempts) in case
      // the server is only restarting; then the step in flight and slack.
      3_100 + 200 + 2_500,
    );
  });

  it("a server that stops answering (SIGSTOP) mid-run: the same within the timeout, not a hang", async () => {
    await cutOffAndContinue(
      "paused",
      () => server.pause(),
      () => server.resume(),
      /stopped answering during the run on thread paused \((Query read timeout|Connection terminated due to connection timeout)\)/,
      // The step in flight, then the client-side query timeout (statement + 1 s), with slack for a loaded machine.
      TIMEOUT_MS * 1.5 + 200 + 2_500,
    );
  });

  it("a completed run survives a crash right after it reports, on a database that does not wait for the disk", async () => {
    const env = cliEnv("lossy");
    expect((await server.query("SELECT setting FROM pg_settings WHERE name = 'wal_writer_delay'")).rows[0].setting).toBe("10000");
    for (let round = 0; round < 10; round++) {
      const threadId = `done-${round}`;
      const run = await cli(["run", "quick_steps", "--thread", threadId, "--input", "go", "--json"], env);
      expect(run.err).toEqual([]);
      const reported = JSON.parse(run.out.at(-1)!);
      expect(reported.status).toBe("complete");
      await server.stop("immediate");
      await server.start();
      const shown = await cli(["threads", "show", threadId, "--json"], env);
      expect(shown.err).toEqual([]);
      const after = JSON.parse(shown.out.at(-1)!).state;
      expect({ checkpointId: after.checkpoint?.checkpointId, values: after.values, next: after.next }).toEqual({
        checkpointId: reported.checkpointId,
        values: reported.values,
        next: [],
      });
    }
  });

  it("in synchronous mode, every step acknowledged before a crash at a random moment is there after it", async () => {
    const project = await loadProject(PROJECT);
    const steps = stepNames(12).length;
    for (let round = 0; round < 10; round++) {
      const threadId = `crash-${round}`;
      const db = await openDatabase({ url: urlOf("lossy"), connectTimeoutMs: TIMEOUT_MS, statementTimeoutMs: TIMEOUT_MS });
      const core = await openCore({ db, project, checkpoints: { synchronousCommit: true } });
      const saver = core.checkpointer;
      // The acknowledgement: put() resolved, so LangGraph goes on to the next step.
      const acknowledged: string[] = [];
      // The crash comes after a random number of steps, a random part of a step later.
      const crashAfter = 1 + Math.floor(Math.random() * (steps - 1));
      let crashed: Promise<string[]> | undefined;
      const put = saver.put.bind(saver);
      saver.put = async (...args) => {
        const config = await put(...args);
        acknowledged.push(config.configurable!.checkpoint_id as string);
        if (acknowledged.length === crashAfter) {
          crashed = new Promise((r) => setTimeout(r, Math.random() * 12)).then(async () => {
            const before = [...acknowledged];
            await server.stop("immediate");
            return before;
          });
        }
        return config;
      };
      const running = driveRun(core, {
        graphId: "quick_steps",
        threadId,
        owner: ANONYMOUS_OWNER,
        action: { kind: "input", input: { message: "go" } },
        streamModes: ["values"],
      }).then(
        () => "complete",
        (err: unknown) => err,
      );
      while (!crashed) await new Promise((r) => setTimeout(r, 5));
      const beforeCrash = await crashed;
      // Back at once: the saver sends a write that met the crash again, so
      // the run may well finish; either way it ends in a typed error or complete.
      await server.start();
      const ended = await running;
      if (ended !== "complete") expect(ended).toBeInstanceOf(DatabaseUnavailableError);
      await core.close();

      expect(beforeCrash.length).toBeGreaterThanOrEqual(crashAfter);
      const reader = await openDatabase({ url: urlOf("lossy") });
      try {
        const after = await createCheckpointer(reader);
        for (const checkpointId of acknowledged) {
          const tuple = await after.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: "", checkpoint_id: checkpointId } });
          const when = beforeCrash.includes(checkpointId) ? "before" : "after";
          expect(tuple?.checkpoint.id, `checkpoint ${checkpointId} of ${threadId}, acknowledged ${when} the crash`).toBe(checkpointId);
        }
      } finally {
        await reader.close();
      }
    }
  });
});
