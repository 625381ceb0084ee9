/**
 * Looks under the embedded FerretDB at what PostgreSQL holds and executes: FerretDB's table for a
 * collection, its indexes (FerretDB's btree ones and the GIN twins of
 * src/db/embedded/postgresql-indexes.ts), their scan counters and plans.
 * Only for tests on the embedded FerretDB on PostgreSQL (the handle's `postgresql`).
 */
import pg from 'pg';
import type { PostgresConnection } from '../../src/db/embedded';

export interface PgIndex {
  name: string;
  method: string;
  /** one expression per key column, as PostgreSQL prints it: `((_jsonb -> 'field'::text))` */
  expressions: string[];
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The expression FerretDB v1 indexes, and pushes an equality down on, for a top-level field. */
export const fieldExpression = (field: string): string => `((_jsonb -> '${field.replace(/'/g, "''")}'::text))`;

export class PostgresProbe {
  private constructor(private readonly client: pg.Client) {}

  static async connect(connection: PostgresConnection): Promise<PostgresProbe> {
    const client = new pg.Client({ connectionString: connection.url });
    await client.connect();
    return new PostgresProbe(client);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.client.query<T>(sql, params)).rows;
  }

  /** FerretDB's table for a collection: named in `<db>._ferretdb_database_metadata` (one schema per database). */
  async tableOf(dbName: string, collection: string): Promise<string> {
    const rows = await this.query<{ table: string }>(
      `SELECT _jsonb ->> 'table' AS table FROM ${ident(dbName)}._ferretdb_database_metadata WHERE _jsonb ->> '_id' = $1`,
      [collection],
    );
    if (!rows[0]) throw new Error(`FerretDB has no table for ${dbName}.${collection}`);
    return rows[0].table;
  }

  async indexesOf(schema: string, table: string): Promise<PgIndex[]> {
    const rows = await this.query<{ name: string; method: string; expressions: string[] }>(
      `SELECT ic.relname AS name, am.amname AS method,
              array(SELECT pg_get_indexdef(i.indexrelid, col, false) FROM generate_series(1, i.indnkeyatts) AS col ORDER BY col) AS expressions
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_am am ON am.oid = ic.relam
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = $1 AND t.relname = $2
        ORDER BY ic.relname`,
      [schema, table],
    );
    return rows;
  }

  /** The GIN index on exactly this expression, if any. */
  async ginTwinOf(schema: string, table: string, expression: string): Promise<string | undefined> {
    const indexes = await this.indexesOf(schema, table);
    return indexes.find((ix) => ix.method === 'gin' && ix.expressions.length === 1 && ix.expressions[0] === expression)?.name;
  }

  /** How often PostgreSQL has read this index, as its statistics say (flushed about once a second). */
  async scansOf(schema: string, index: string): Promise<number> {
    const rows = await this.query<{ scans: string }>(
      'SELECT idx_scan AS scans FROM pg_stat_user_indexes WHERE schemaname = $1 AND indexrelname = $2',
      [schema, index],
    );
    return Number(rows[0]?.scans ?? 0);
  }

  /** Polls the statistics until the index has been read at least `atLeast` times, or the time is up. */
  async waitForScans(schema: string, index: string, atLeast: number, timeoutMs = 15_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const scans = await this.scansOf(schema, index);
      if (scans >= atLeast || Date.now() > deadline) return scans;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The value as FerretDB stores it in the document column (its own JSON encoding of BSON). */
  async storedValue(schema: string, table: string, field: string, offset: number): Promise<unknown> {
    const rows = await this.query<{ value: unknown }>(
      `SELECT _jsonb -> $1 AS value FROM ${ident(schema)}.${ident(table)} WHERE _jsonb ? $1 ORDER BY ctid OFFSET $2 LIMIT 1`,
      [field, offset],
    );
    if (!rows[0]) throw new Error(`no document with ${field} in ${schema}.${table}`);
    return rows[0].value;
  }

  /**
   * The indexes PostgreSQL's plan reads for FerretDB's pushed-down equalities (the same SQL shape FerretDB v1
   * sends: `_jsonb -> 'field' @> value`, ANDed); empty when the plan reads the whole table.
   * With `seqScan: false` PostgreSQL avoids reading the table whenever an index can serve the condition at
   * all, which tells "no index fits" from "the table is too small for the index to pay".
   */
  async indexesInPlan(schema: string, table: string, field: string, value: unknown, opts: { seqScan?: boolean } = {}): Promise<{ indexes: string[]; nodes: string[] }> {
    return this.indexesInPlanOf(schema, table, [{ field, value }], opts);
  }

  async indexesInPlanOf(schema: string, table: string, equalities: Array<{ field: string; value: unknown }>, opts: { seqScan?: boolean } = {}): Promise<{ indexes: string[]; nodes: string[] }> {
    const where = equalities.map(({ field }, i) => `_jsonb -> '${field.replace(/'/g, "''")}' @> $${i + 1}::jsonb`).join(' AND ');
    const params = equalities.map(({ value }) => JSON.stringify(value));
    const explain = `EXPLAIN (FORMAT JSON) SELECT _jsonb FROM ${ident(schema)}.${ident(table)} WHERE ${where}`;
    let rows: Array<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>;
    if (opts.seqScan === false) {
      await this.client.query('BEGIN');
      try {
        await this.client.query('SET LOCAL enable_seqscan = off');
        rows = await this.query(explain, params);
      } finally {
        await this.client.query('ROLLBACK');
      }
    } else {
      rows = await this.query(explain, params);
    }
    const nodes: PlanNode[] = [];
    const walk = (node: PlanNode) => {
      nodes.push(node);
      for (const child of node.Plans ?? []) walk(child);
    };
    const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (plan) walk(plan);
    return {
      indexes: nodes.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : [])),
      nodes: nodes.map((n) => n['Node Type']),
    };
  }
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
