import pg from "pg";

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

/**
 * Counts every statement sent through node-postgres (both backends use
 * pg.Client), split into transaction control (BEGIN/COMMIT/ROLLBACK) and
 * the rest.
 */
export class StatementCounter {
  statements = 0;
  transactionControl = 0;
  private restore: (() => void) | undefined;

  install(): void {
    const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    const counter = this;
    proto.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string } | undefined)?.text ?? "";
      if (/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(text)) counter.transactionControl++;
      else counter.statements++;
      return original.apply(this, args);
    };
    this.restore = () => {
      proto.query = original;
    };
  }

  reset(): void {
    this.statements = 0;
    this.transactionControl = 0;
  }

  uninstall(): void {
    this.restore?.();
  }
}
