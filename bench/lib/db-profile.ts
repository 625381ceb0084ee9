/**
 * With --cpu-prof, what the database did during a measured window: the server process's commands (counted
 * by bench/support/server-entry.ts through the driver's command monitoring), the embedded FerretDB proxy's
 * time waiting for its write lock vs inside FerretDB (src/db/ferretdb/main.go, FERRETDB_PROXY_STATS), and
 * PostgreSQL's own account (pg_stat_database: time executing statements, rows written).
 */
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { format } from './table';

type Commands = Record<string, { count: number; docs: number; ms: number }>;
type Proxy = Record<string, { count: number; waitNs: number; runNs: number }>;
interface Postgres {
  activeMs: number;
  commits: number;
  inserted: number;
  updated: number;
  deleted: number;
  returned: number;
  fetched: number;
  tables: Record<string, { seqScans: number; seqRows: number; idxScans: number }>;
  /** Index entries read per index: an unselective index shows as many entries per scan. */
  indexes: Record<string, { scans: number; read: number }>;
}

export interface DbSnapshot { commands: Commands; proxy: Proxy; postgres: Postgres | null }

function readJson<T>(file: string | undefined): T {
  if (!file || !existsSync(file)) return {} as T;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return {} as T;
  }
}

export async function dbSnapshot(commandsFile: string | undefined, proxyFile: string | undefined, postgresqlUrl: string | undefined): Promise<DbSnapshot> {
  let postgres: Postgres | null = null;
  if (postgresqlUrl) {
    const client = new pg.Client({ connectionString: postgresqlUrl });
    await client.connect();
    try {
      const { rows } = await client.query<Record<string, string>>(
        'SELECT sum(active_time) AS active, sum(xact_commit) AS commits, sum(tup_inserted) AS inserted, sum(tup_updated) AS updated, sum(tup_deleted) AS deleted, sum(tup_returned) AS returned, sum(tup_fetched) AS fetched FROM pg_stat_database',
      );
      const r = rows[0]!;
      // FerretDB's tables are named after their collection plus a hash: which collections are read by a sequential scan.
      const tables = await client.query<{ name: string; seq_scan: string; seq_tup_read: string; idx_scan: string | null }>("SELECT schemaname || '.' || relname AS name, seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables");
      const indexes = await client.query<{ name: string; idx_scan: string; idx_tup_read: string }>("SELECT schemaname || '.' || relname || '.' || indexrelname AS name, idx_scan, idx_tup_read FROM pg_stat_user_indexes");
      postgres = { indexes: Object.fromEntries(indexes.rows.map((i) => [i.name, { scans: Number(i.idx_scan), read: Number(i.idx_tup_read) }])), tables: Object.fromEntries(tables.rows.map((t) => [t.name, { seqScans: Number(t.seq_scan), seqRows: Number(t.seq_tup_read), idxScans: Number(t.idx_scan ?? 0) }])), activeMs: Number(r.active), commits: Number(r.commits), inserted: Number(r.inserted), updated: Number(r.updated), deleted: Number(r.deleted), returned: Number(r.returned), fetched: Number(r.fetched) };
    } finally {
      await client.end();
    }
  }
  return { commands: readJson<Commands>(commandsFile), proxy: readJson<Proxy>(proxyFile), postgres };
}

/** Lines for a section's detail: per unit (e.g. per alert) of the window between two snapshots. */
export function describeDbWindow(before: DbSnapshot, after: DbSnapshot, units: number, unitName: string, windowSeconds: number): string[] {
  const lines: string[] = [];
  const commands = Object.entries(after.commands)
    .map(([key, a]) => {
      const b = before.commands[key] ?? { count: 0, docs: 0, ms: 0 };
      return { key, count: a.count - b.count, docs: a.docs - b.docs, ms: a.ms - b.ms };
    })
    .filter((c) => c.count > 0)
    .sort((x, y) => y.ms - x.ms);
  if (commands.length > 0) {
    const total = commands.reduce((sum, c) => ({ count: sum.count + c.count, ms: sum.ms + c.ms }), { count: 0, ms: 0 });
    lines.push(`- the server's database commands in the window: ${total.count} (${format(total.count / units)} per ${unitName}), ${format(total.ms / 1000)} s of round trips summed; by command and collection (commands, documents or statements carried, per ${unitName}, summed round-trip time, mean):`);
    for (const c of commands) lines.push(`  - ${c.key}: ${c.count} commands, ${format(c.docs / units)} docs per ${unitName}, ${format(c.ms / 1000)} s, mean ${format(c.ms / c.count)} ms`);
  }
  const proxy = Object.entries(after.proxy)
    .map(([name, a]) => {
      const b = before.proxy[name] ?? { count: 0, waitNs: 0, runNs: 0 };
      return { name: name || '(other)', count: a.count - b.count, wait: (a.waitNs - b.waitNs) / 1e9, run: (a.runNs - b.runNs) / 1e9 };
    })
    .filter((c) => c.count > 0)
    .sort((x, y) => y.run + y.wait - (x.run + x.wait));
  if (proxy.length > 0) {
    lines.push(`- at the FerretDB proxy (all clients), per command: waiting for the write lock vs inside FerretDB and PostgreSQL, summed over the ${format(windowSeconds)} s window:`);
    for (const c of proxy) lines.push(`  - ${c.name}: ${c.count}, lock wait ${format(c.wait)} s, in FerretDB ${format(c.run)} s (mean ${format((1000 * c.run) / c.count)} ms)`);
  }
  if (before.postgres && after.postgres) {
    const reads = Object.entries(after.postgres.indexes)
      .map(([name, a]) => {
        const b = before.postgres!.indexes[name] ?? { scans: 0, read: 0 };
        return { name, scans: a.scans - b.scans, read: a.read - b.read };
      })
      .filter((i) => i.scans > 0)
      .sort((x, y) => y.read - x.read)
      .slice(0, 6);
    if (reads.length > 0) lines.push(`- PostgreSQL indexes by entries read (pg_stat_user_indexes): ${reads.map((i) => `${i.name} ${i.scans} scans reading ${i.read} entries (${format(i.read / i.scans)} per scan)`).join('; ')}`);
    const d = (k: Exclude<keyof Postgres, 'tables' | 'indexes'>) => after.postgres![k] - before.postgres![k];
    const scans = Object.entries(after.postgres.tables)
      .map(([name, a]) => {
        const b = before.postgres!.tables[name] ?? { seqScans: 0, seqRows: 0, idxScans: 0 };
        return { name, seqScans: a.seqScans - b.seqScans, seqRows: a.seqRows - b.seqRows, idxScans: a.idxScans - b.idxScans };
      })
      .filter((t) => t.seqScans > 0 || t.idxScans > 0)
      .sort((x, y) => y.seqRows - x.seqRows)
      .slice(0, 8);
    if (scans.length > 0) lines.push(`- PostgreSQL tables read (pg_stat_user_tables, most rows by sequential scan first): ${scans.map((t) => `${t.name} ${t.seqScans} sequential scans reading ${t.seqRows} rows, ${t.idxScans} index scans`).join('; ')}`);
    lines.push(`- PostgreSQL (pg_stat_database): ${format(d('activeMs') / 1000)} s executing statements (summed over its backends), ${d('commits')} transactions, rows inserted ${d('inserted')}, updated ${d('updated')}, deleted ${d('deleted')}, returned ${d('returned')}, fetched ${d('fetched')} (${format(d('commits') / units)} transactions and ${format(d('returned') / units)} rows returned per ${unitName})`);
  }
  return lines;
}

/**
 * ANALYZE on the PostgreSQL under the embedded FerretDB: a live database is analysed by autovacuum within
 * a minute or so of large changes, but the bench measures seconds after seeding thousands of rows, when
 * PostgreSQL has no statistics yet and takes `_jsonb -> 'state' @> '"scheduled"'` for a selective
 * condition (its GIN twin then reads every scheduled document for a guarded update by _id).
 */
export async function analyzePostgres(postgresqlUrl: string | undefined): Promise<void> {
  if (!postgresqlUrl) return;
  const client = new pg.Client({ connectionString: postgresqlUrl });
  await client.connect();
  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
