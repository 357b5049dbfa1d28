import { closeSync, constants, existsSync, fstatSync, fsyncSync, openSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { PGlite, type PGliteOptions } from "@electric-sql/pglite";
import { NodeFS } from "@electric-sql/pglite/nodefs";

/** Real fsync() calls issued, by what they covered. */
export interface FsyncCounts {
  /** WAL segment files (pg_wal/…). */
  wal: number;
  /** Everything else: data files, pg_control, directories. */
  other: number;
}

// The parts of Emscripten's FS this file touches.
type Node = { mode: number };
type Stream = { nfd?: number; node: Node; wal?: boolean };
type StreamOps = Record<string, (stream: Stream, ...args: any[]) => any>;
type NodeOps = Record<string, (...args: any[]) => any>;
type Nodefs = { stream_ops: StreamOps; node_ops: NodeOps; realPath(node: Node): string; tryFSOperation<T>(f: () => T): T };
type EmscriptenModule = { FS: { filesystems: { NODEFS: Nodefs } } };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/**
 * PGlite's data folder on the host file system (Emscripten's NODEFS, as
 * PGlite's own NodeFS mounts it), except that fsync reaches the disk: in this
 * build NODEFS has no fsync at all and fdatasync is a no-op, so Postgres's
 * fsyncs would do nothing. Use it with `durableStartParams()` (fsync on,
 * WAL synced with fsync).
 *
 * Every write still reaches the operating system before it returns, so a
 * commit outlives this process being killed. What differs is when the disk
 * is waited for:
 * - synchronous (`eachCommit`): every fsync Postgres asks for happens then,
 *   so each commit is on disk when it returns.
 * - deferred (the default): fsyncs of WAL files wait for `flush()`, except
 *   that they happen first whenever another file is written (other than
 *   grown by zeroed pages), truncated or fsynced, or any file is renamed or
 *   removed, and when a WAL file is closed. So the WAL always reaches the
 *   disk before the data pages, pg_control and file removals it covers,
 *   which is all Postgres's crash recovery relies on. Everything else is
 *   fsynced when Postgres asks. A power loss can lose the commits since the
 *   last flush, but leaves a folder that recovers.
 */
export class DurableNodeFS extends NodeFS {
  /** Real fsyncs so far; for tests and benchmarks. */
  readonly fsyncs: FsyncCounts = { wal: 0, other: 0 };
  /** Whether each commit waits for the disk; see the class comment. */
  eachCommit = false;
  // Host descriptors of WAL files written since their last fsync.
  private readonly unsynced = new Set<number>();
  // A fresh folder is filled by copying initdb's output in, with no fsync;
  // it is synced once, whole, before Postgres starts on it.
  private fresh: boolean;
  // After a failed fsync the kernel may have dropped the dirty pages, so a
  // later fsync could succeed without them: every later flush fails too.
  private failure: unknown;

  constructor(dataDir: string) {
    super(dataDir);
    this.fresh = !existsSync(join(this.rootDir, "PG_VERSION"));
  }

  override async init(pg: PGlite, opts: Parameters<NodeFS["init"]>[1]): ReturnType<NodeFS["init"]> {
    // Runs before NodeFS's own preRun step mounts NODEFS, so the patched
    // operations serve every node. NODEFS belongs to this PGlite instance.
    return super.init(pg, { ...opts, preRun: [...(opts.preRun ?? []), (mod: EmscriptenModule) => this.patch(mod)] });
  }

  /**
   * Waits until everything written so far is on disk; `eachCommit`, when
   * given, first sets the mode for what follows.
   */
  async flush(options: { eachCommit?: boolean } = {}): Promise<void> {
    if (options.eachCommit !== undefined) this.eachCommit = options.eachCommit;
    this.syncWal();
  }

  override async syncToFs(): Promise<void> {
    if (!this.fresh) return;
    this.fresh = false;
    syncTree(this.rootDir, this.fsyncs);
  }

  override async closeFs(): Promise<void> {
    try {
      this.syncWal();
    } finally {
      await super.closeFs();
    }
  }

  private patch(mod: EmscriptenModule): void {
    const nodefs = mod.FS.filesystems.NODEFS;
    const streamOps = nodefs.stream_ops;
    const nodeOps = nodefs.node_ops;
    // Errors inside Postgres's calls must be Emscripten errno errors, which
    // Postgres reports (or PANICs on, for fsync); anything else aborts PGlite.
    const inFs = <T>(f: () => T) => nodefs.tryFSOperation(f);
    const { open, close, write, setattr } = streamOps;
    streamOps.open = (stream) => {
      open!(stream);
      const path = relative(this.rootDir, nodefs.realPath(stream.node));
      stream.wal = (stream.node.mode & S_IFMT) === S_IFREG && /^pg_wal[\\/][^\\/]+$/.test(path);
    };
    streamOps.write = (stream, buffer: Uint8Array, offset: number, length: number, position: number, ...rest) => {
      if (stream.wal) this.unsynced.add(stream.nfd!);
      else if (!isZeroExtension(stream.nfd!, buffer, offset, length, position)) inFs(() => this.syncWal());
      return write!(stream, buffer, offset, length, position, ...rest);
    };
    // Truncation; chmod and utimes, also setattr, need nothing first.
    streamOps.setattr = (stream, attr: { size?: number }) => {
      if (attr.size !== undefined) inFs(() => this.syncWal());
      return setattr!(stream, attr);
    };
    streamOps.fsync = (stream) => {
      if (stream.wal && !this.eachCommit) return 0;
      inFs(() => {
        if (stream.wal) this.unsynced.delete(stream.nfd!);
        else this.syncWal();
        this.fsync(stream.nfd!, stream.wal ? "wal" : "other");
      });
      return 0;
    };
    streamOps.close = (stream) => {
      if (stream.wal && this.unsynced.delete(stream.nfd!)) inFs(() => this.fsync(stream.nfd!, "wal"));
      return close!(stream);
    };
    // NODEFS's msync writes through stream_ops.write, patched above.
    // Creating a file (mknod, symlink) needs no WAL first: nothing refers to
    // a new file until WAL does. Removing, renaming or truncating one does.
    for (const name of ["rename", "unlink", "rmdir"]) {
      const op = nodeOps[name]!;
      nodeOps[name] = (...args: unknown[]) => {
        inFs(() => this.syncWal());
        return op(...args);
      };
    }
    const truncate = nodeOps.setattr!;
    nodeOps.setattr = (node, attr: { size?: number }) => {
      if (attr.size !== undefined) inFs(() => this.syncWal());
      return truncate(node, attr);
    };
  }

  private syncWal(): void {
    for (const fd of this.unsynced) {
      this.fsync(fd, "wal");
      this.unsynced.delete(fd);
    }
    if (this.failure) throw this.failure;
  }

  private fsync(fd: number, kind: keyof FsyncCounts): void {
    if (this.failure) throw this.failure;
    try {
      fsyncSync(fd);
    } catch (err) {
      this.failure = err;
      throw err;
    }
    this.fsyncs[kind]++;
  }
}

/**
 * PGlite's start parameters with fsync on (PGlite passes `-F`, fsync off)
 * and the WAL synced with fsync(), since fdatasync() does nothing here.
 */
function durableStartParams(): string[] {
  return [...PGlite.defaultStartParams.filter((p) => p !== "-F"), "-c", "wal_sync_method=fsync"];
}

/** The PGlite options that open `dataDir` through a DurableNodeFS. */
export function durablePgliteOptions(fs: DurableNodeFS): Pick<PGliteOptions, "fs" | "startParams"> {
  return { fs, startParams: durableStartParams() };
}

// Postgres grows a relation by appending zeroed pages, which it never
// WAL-logs and reads back as empty after a crash: such a write needs no WAL
// on disk first. It happens for every 8 kB a table or index grows, so
// syncing the WAL there would cost an fsync every few commits.
let zeros = new Uint8Array(8192);
function isZeroExtension(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): boolean {
  if (zeros.length < length) zeros = new Uint8Array(length);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
  return Buffer.compare(bytes, zeros.subarray(0, length)) === 0 && position >= fstatSync(fd).size;
}

// fsyncs every file and directory under `root`, children before parents, and
// root's own entry in its parent.
function syncTree(root: string, counts: FsyncCounts): void {
  const visit = (path: string, dir: boolean) => {
    if (dir) for (const e of readdirSync(path, { withFileTypes: true })) if (e.isFile() || e.isDirectory()) visit(join(path, e.name), e.isDirectory());
    const fd = openSync(path, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    counts.other++;
  };
  visit(root, true);
  if (dirname(root) !== root) visit(dirname(root), false);
}
