import { SchemaVersionError } from './errors.js';
import { parseInteger } from './message-row.js';
import type { SchemaMigration } from './schema-migrations.js';
import { MIGRATIONS, MIGRATIONS_TABLE } from './schema-migrations.js';
import type { SqlRunner } from './sql-runner.js';

// Any constant works; it only has to be the same on every node migrating the same database.
const POSTGRES_MIGRATION_LOCK = 0x6f70656e756d;

/**
 * Brings the schema up to date: applies, in one transaction, every migration the database has not
 * had. On PostgreSQL an advisory lock makes nodes starting together take turns (the second finds
 * the work done). Refuses a database migrated by a newer openum. Returns the version reached.
 */
export async function migrateSchema(runner: SqlRunner, migrations: readonly SchemaMigration[] = MIGRATIONS): Promise<number> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  return runner.transaction(async (tx) => {
    if (runner.dialect === 'postgres') await tx.execute(`SELECT pg_advisory_xact_lock(${POSTGRES_MIGRATION_LOCK})`);
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
    );
    const { rows } = await tx.execute(`SELECT MAX(version) AS version FROM ${MIGRATIONS_TABLE}`);
    const current = parseInteger(rows[0]?.version, 'version');
    if (current > latest) throw new SchemaVersionError(current, latest);
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements[runner.dialect]) await tx.execute(statement);
      await tx.execute(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)`, [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    return Math.max(current, latest);
  });
}
