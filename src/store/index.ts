/**
 * LangGraph's long-term store on Threadline's database: `ThreadlineStore`
 * (a `BaseStore`) and the migrations of its table, applied at start-up.
 *
 * @example
 * import { ThreadlineStore, storeMigrations } from "./store/index.js";
 * await migrate(db, [storeMigrations]);
 * const graph = await loaded.instantiate(config, { checkpointer, store: new ThreadlineStore(db) });
 */
export { ThreadlineStore, type StoreIndex, type ThreadlineStoreOptions } from "./store.js";
export { storeMigrations } from "./migrations.js";
