import type { StatementResult, StoreDialect, StoreTransaction } from './message-store.js';

/**
 * What {@link SqlMessageStore} needs of a database: statements with `?` placeholders and Date /
 * boolean parameters (each runner converts them for its driver), and transactions.
 */
export interface SqlRunner {
  /** Which back-end. */
  readonly dialect: StoreDialect;
  /** Runs one statement outside any transaction the caller sees. */
  query(sql: string, params?: readonly unknown[]): Promise<StatementResult>;
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** Closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

/**
 * `?` placeholders as PostgreSQL's `$1, $2…`, leaving `?` inside quoted strings and identifiers alone.
 * Returns the count too, to check it against the parameters.
 */
export function numberPlaceholders(sql: string): { text: string; count: number } {
  let text = '';
  let count = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      text += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      text += ch;
    } else if (ch === '?') {
      count++;
      text += `$${count}`;
    } else {
      text += ch;
    }
  }
  return { text, count };
}
