/** Where a CLI invocation writes and reads. */
export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Raw output for streamed tokens (default: stdout). */
  write?: (text: string) => void;
  /** Where `chat` reads the user's lines (default: stdin). */
  input?: NodeJS.ReadableStream;
  /** Aborted on Ctrl-C: a run in progress stops as an interrupt. */
  signal?: AbortSignal;
}
