import type { Database, MigrationSet } from "threadline";

// The PIN is compared inside Postgres against a salted SHA-256, so the demo
// never loads a hash into the process. A real bank would use a slow KDF.
const SQL = {
  exists: "SELECT 1 FROM banking_accounts WHERE account_id = $1",
  verifyPin: `SELECT pin_hash = encode(sha256(convert_to(pin_salt || ':' || $2, 'UTF8')), 'hex') AS ok
                FROM banking_accounts WHERE account_id = $1`,
  balance: `SELECT holder, balance_cents::text AS "balanceCents", currency
              FROM banking_accounts WHERE account_id = $1`,
} as const;

function seed(accountId: string, holder: string, pin: string, salt: string, cents: number, currency: string): string {
  return `INSERT INTO banking_accounts (account_id, holder, pin_salt, pin_hash, balance_cents, currency)
          VALUES ('${accountId}', '${holder}', '${salt}',
                  encode(sha256(convert_to('${salt}:${pin}', 'UTF8')), 'hex'), ${cents}, '${currency}')`;
}

/**
 * The demo accounts table, seeded with two accounts (PINs 1234 and 4321),
 * recorded under the component "banking" whatever the graph is called in
 * langgraph.json.
 */
export const migrations: MigrationSet = {
  component: "banking",
  migrations: [
    {
      name: "accounts",
      up: [
        `CREATE TABLE banking_accounts (
          account_id    text   PRIMARY KEY,
          holder        text   NOT NULL,
          pin_salt      text   NOT NULL,
          pin_hash      text   NOT NULL,
          balance_cents bigint NOT NULL,
          currency      text   NOT NULL
        )`,
        seed("ACC-1001", "Ada Lovelace", "1234", "9f1c2e", 254310, "EUR"),
        seed("ACC-1002", "Alan Turing", "4321", "4b7d0a", 1_200_000, "GBP"),
      ],
    },
  ],
};

export async function accountExists(db: Database, accountId: string): Promise<boolean> {
  const { rowCount } = await db.pool.query(SQL.exists, [accountId]);
  return (rowCount ?? 0) > 0;
}

export async function verifyPin(db: Database, accountId: string, pin: string): Promise<boolean> {
  const { rows } = await db.pool.query<{ ok: boolean }>(SQL.verifyPin, [accountId, pin]);
  return rows[0]?.ok === true;
}

export async function readBalance(db: Database, accountId: string) {
  const { rows } = await db.pool.query<{ holder: string; balanceCents: string; currency: string }>(SQL.balance, [accountId]);
  return rows[0];
}
