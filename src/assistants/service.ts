import { randomUUID } from "node:crypto";
import { v5 as uuidv5 } from "uuid";
import { withTransaction, type Database } from "../db/database.js";
import { ConflictError, InvalidInputError, NotFoundError } from "../errors.js";
import { pageOffset, pageSize, sortOrder } from "../paging.js";
import { ANONYMOUS_OWNER, SYSTEM_OWNER, isUuid } from "../owners.js";
import { ASSISTANT_SQL, SORT_COLUMNS, type AssistantRow, type AssistantSortBy, type AssistantVersionRow } from "./sql.js";

export type Assistant = AssistantRow;
export type AssistantVersion = AssistantVersionRow;
export type { AssistantSortBy } from "./sql.js";

/** The namespace LangGraph's server derives system assistant ids from. */
export const SYSTEM_ASSISTANT_NAMESPACE = "6ba7b821-9dad-11d1-80b4-00c04fd430c8";

/** The id LangGraph's server gives the system assistant of a graph. */
export function systemAssistantId(graphId: string): string {
  return uuidv5(graphId, SYSTEM_ASSISTANT_NAMESPACE);
}

export interface AssistantFields {
  graphId: string;
  name?: string;
  description?: string | null;
  config?: Record<string, unknown>;
  context?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface AssistantSearch {
  graphId?: string;
  metadata?: Record<string, unknown>;
  name?: string;
  sortBy?: AssistantSortBy;
  sortOrder?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

/** At most this many assistants are remembered for `recent`. */
const RECENT_MAX = 1000;

/**
 * Assistants: a graph of the project with its configuration, versioned.
 * Every user sees the system assistants (one per graph) and their own;
 * another user's assistant is unknown. A graph id is accepted wherever an
 * assistant id is and names the graph's system assistant.
 *
 * @example
 * const a = await assistants.create({ graphId: "agent", name: "terse", context: { strategy: "window" } }, "ada");
 * await assistants.update(a.assistantId, { metadata: { team: "support" } }, "ada"); // version 2
 */
export class AssistantService {
  private readonly lately = new Map<string, Assistant>();

  /**
   * @param checkConfig refuses (InvalidInputError) an assistant's
   *   `configurable` its graph would refuse, so a bad setting fails when it
   *   is saved rather than in every run that uses it.
   */
  constructor(
    private readonly db: Database,
    private readonly graphIds: readonly string[],
    private readonly checkConfig: (graphId: string, configurable: Record<string, unknown>) => Promise<void> = async () => {},
  ) {}

  /** Creates (or keeps) the system assistant of every graph of the project. */
  async syncSystemAssistants(): Promise<void> {
    for (const graphId of this.graphIds) {
      await withTransaction(this.db, async (client) => {
        const id = systemAssistantId(graphId);
        await client.query(ASSISTANT_SQL.insert, [id, graphId, graphId, null, {}, {}, { created_by: "system" }, SYSTEM_OWNER]);
        await client.query(ASSISTANT_SQL.insertVersion, [id]);
      });
    }
  }

  /** The assistant an id (or a graph id) names, as `owner` sees it; NotFoundError otherwise. */
  async get(idOrGraph: string, owner: string): Promise<Assistant> {
    const { owner: _owner, ...assistant } = await this.row(idOrGraph, owner);
    if (this.lately.size >= RECENT_MAX) this.lately.clear();
    this.lately.set(`${owner}\u0000${idOrGraph}`, assistant);
    return assistant;
  }

  /**
   * The assistant as this process last read it for `owner`, which any
   * process may have changed or deleted since: only for a statement that
   * checks its version as it uses it (RUN_SQL.startIdle). Undefined when it
   * was not read lately.
   */
  recent(idOrGraph: string, owner: string): Assistant | undefined {
    return this.lately.get(`${owner}\u0000${idOrGraph}`);
  }

  /** Forgets what `recent` knew of an assistant (it was found changed). */
  forget(idOrGraph: string, owner: string): void {
    this.lately.delete(`${owner}\u0000${idOrGraph}`);
  }

  private async row(idOrGraph: string, owner: string): Promise<Assistant & { owner: string }> {
    const id = this.resolveId(idOrGraph);
    const row = id ? (await this.db.pool.query<Assistant & { owner: string }>(ASSISTANT_SQL.get, [id, owner])).rows[0] : undefined;
    if (!row) throw new NotFoundError(`unknown assistant "${idOrGraph}"`);
    return row;
  }

  async create(
    fields: AssistantFields & { assistantId?: string; ifExists?: "raise" | "do_nothing" },
    owner: string,
  ): Promise<Assistant> {
    this.assertGraph(fields.graphId);
    await this.checkConfig(fields.graphId, configurableOf(fields.config));
    const id = fields.assistantId ?? randomUUID();
    if (!isUuid(id)) throw new InvalidInputError(`assistant_id must be a UUID, got "${id}"`);
    const created = await withTransaction(this.db, async (client) => {
      const { rows } = await client.query<Assistant>(ASSISTANT_SQL.insert, [
        id,
        fields.graphId,
        fields.name ?? fields.graphId,
        fields.description ?? null,
        fields.config ?? {},
        fields.context ?? {},
        fields.metadata ?? {},
        owner,
      ]);
      if (rows[0]) await client.query(ASSISTANT_SQL.insertVersion, [id]);
      return rows[0];
    });
    if (created) return created;
    if (fields.ifExists === "do_nothing") return this.get(id, owner);
    throw new ConflictError(`assistant "${id}" already exists`);
  }

  async search(query: AssistantSearch, owner: string): Promise<Assistant[]> {
    const key = query.sortBy ?? "created_at";
    const sortBy = Object.hasOwn(SORT_COLUMNS, key) ? SORT_COLUMNS[key] : undefined;
    if (!sortBy) throw new InvalidInputError(`cannot sort assistants by "${query.sortBy}"; use ${Object.keys(SORT_COLUMNS).join(", ")}`);
    const order = sortOrder(query.sortOrder);
    const { rows } = await this.db.pool.query<Assistant>(ASSISTANT_SQL.search(sortBy, order), [
      owner,
      query.graphId ?? null,
      query.metadata ?? null,
      query.name ?? null,
      pageSize(query.limit, 10),
      pageOffset(query.offset),
    ]);
    return rows;
  }

  async count(query: Pick<AssistantSearch, "graphId" | "metadata" | "name">, owner: string): Promise<number> {
    const { rows } = await this.db.pool.query<{ n: number }>(ASSISTANT_SQL.count, [
      owner,
      query.graphId ?? null,
      query.metadata ?? null,
      query.name ?? null,
    ]);
    return rows[0]!.n;
  }

  /** Writes a new version with the given fields replaced (metadata merged) and makes it the latest. */
  async update(idOrGraph: string, fields: Partial<AssistantFields>, owner: string): Promise<Assistant> {
    const current = await this.row(idOrGraph, owner);
    if (fields.graphId !== undefined) this.assertGraph(fields.graphId);
    if (fields.config !== undefined || fields.graphId !== undefined) {
      await this.checkConfig(fields.graphId ?? current.graphId, configurableOf(fields.config ?? current.config));
    }
    const writer = this.writer(current, owner);
    return withTransaction(this.db, async (client) => {
      // Updates of one assistant take turns, so each gets a version of its own.
      await client.query(ASSISTANT_SQL.lock, [current.assistantId]);
      const { rows } = await client.query<Assistant>(ASSISTANT_SQL.update, [
        current.assistantId,
        writer,
        fields.graphId ?? null,
        fields.name ?? null,
        fields.description !== undefined,
        fields.description ?? null,
        fields.config ?? null,
        fields.context ?? null,
        fields.metadata ?? null,
      ]);
      if (!rows[0]) throw new NotFoundError(`unknown assistant "${idOrGraph}"`);
      await client.query(ASSISTANT_SQL.recordVersion, [current.assistantId]);
      return rows[0];
    });
  }

  async delete(idOrGraph: string, owner: string): Promise<void> {
    const current = await this.row(idOrGraph, owner);
    await this.db.pool.query(ASSISTANT_SQL.delete, [current.assistantId, this.writer(current, owner)]);
  }

  async versions(
    idOrGraph: string,
    query: { metadata?: Record<string, unknown>; limit?: number; offset?: number },
    owner: string,
  ): Promise<AssistantVersion[]> {
    const current = await this.get(idOrGraph, owner);
    const { rows } = await this.db.pool.query<AssistantVersion>(ASSISTANT_SQL.versions, [
      current.assistantId,
      query.metadata ?? null,
      pageSize(query.limit, 10),
      pageOffset(query.offset),
    ]);
    return rows;
  }

  async setLatest(idOrGraph: string, version: number, owner: string): Promise<Assistant> {
    const current = await this.row(idOrGraph, owner);
    if (!Number.isInteger(version) || version < 1) throw new InvalidInputError(`version must be a positive whole number, got ${version}`);
    const { rows } = await this.db.pool.query(ASSISTANT_SQL.setLatest, [current.assistantId, this.writer(current, owner), version]);
    if (!rows[0]) throw new NotFoundError(`assistant "${current.assistantId}" has no version ${version}`);
    return this.get(current.assistantId, owner);
  }

  private resolveId(idOrGraph: string): string | undefined {
    if (typeof idOrGraph !== "string") return undefined;
    if (isUuid(idOrGraph)) return idOrGraph.toLowerCase();
    return this.graphIds.includes(idOrGraph) ? systemAssistantId(idOrGraph) : undefined;
  }

  private assertGraph(graphId: string): void {
    if (!this.graphIds.includes(graphId)) {
      throw new NotFoundError(`unknown graph "${graphId}"; known graphs: ${this.graphIds.join(", ") || "none"}`);
    }
  }

  // System assistants are shared: without named users (the anonymous owner,
  // a single-tenant server) they may be edited; a named user reads them only.
  private writer(assistant: Assistant & { owner: string }, owner: string): string {
    if (assistant.owner === SYSTEM_OWNER) {
      if (owner !== ANONYMOUS_OWNER) throw new InvalidInputError(`assistant "${assistant.assistantId}" is a system assistant; create your own from graph "${assistant.graphId}"`);
      return SYSTEM_OWNER;
    }
    return owner;
  }
}

function configurableOf(config: Record<string, unknown> | undefined): Record<string, unknown> {
  const configurable = config?.configurable;
  return configurable && typeof configurable === "object" && !Array.isArray(configurable) ? (configurable as Record<string, unknown>) : {};
}
