/**
 * GIN twins of FerretDB's indexes, so that PostgreSQL answers FerretDB's equality queries from an index.
 *
 * FerretDB v1 pushes a top-level equality `{field: value}` down to PostgreSQL as
 * `_jsonb -> 'field' @> value`, but its own indexes are btree indexes on `(_jsonb -> 'field')`,
 * which cannot serve `@>`: every such query reads the whole table (see the team's shared
 * DATABASE.md notes, "Indexes that FerretDB v1 cannot use"). A GIN index on the same
 * expression does serve it. So, on the embedded database only, PostgreSQL itself gives every
 * btree index that FerretDB creates GIN twins (`_id` included):
 * - an event trigger does it when FerretDB creates an index, inside FerretDB's own transaction,
 *   so a collection that is dropped and created again (tests do it all the time) gets its twins
 *   again, with no list of fields here (src/db must not know the domains' collections);
 * - a pass at every start does it for indexes made before the trigger existed (older data folders);
 * - when FerretDB drops an index, the twins no remaining btree index needs are dropped with it,
 *   so a removed mongoose index stops costing writes.
 * - of the leading field of every index, and of every field of a unique one. A non-unique compound
 *   index's trailing fields (the `state` of `{deadlineSlot, state}`) are rarely selective alone, and a
 *   twin of one lets PostgreSQL (without statistics yet) AND a bitmap of every scheduled check-in into a
 *   guarded update by `_id` (`{_id, state, dueAt}`); as every update writes a new entry into every twin,
 *   that bitmap grows with each write until a vacuum (the check-in benchmark read 5,500 entries per
 *   update, bench/PROFILE.md). The fields of a unique index together name one document (a vault
 *   document's version, a log entry's `seq`), so each keeps its twin. PostgreSQL filters the rows it
 *   found by the other pushed-down equalities. Twins an older version made for other trailing fields
 *   are dropped at the next start.
 * Only tables in a schema holding `_ferretdb_database_metadata` (one per MongoDB database) are touched.
 */
import pg from 'pg';
import type { Logger } from 'pino';

/** How a test (or an operator) reaches the PostgreSQL under FerretDB. Loopback only. */
export interface PostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** postgres://user:password@host:port/database */
  url: string;
}

/** The suffix of every twin's name; the trigger skips GIN indexes anyway, so its own work never recurses. */
export const GIN_TWIN_SUFFIX = '_gin';

const INSTALL_SQL = String.raw`
CREATE OR REPLACE FUNCTION public.meshwork_is_ferretdb_table(schema_name name, table_name name) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT table_name <> '_ferretdb_database_metadata'
     AND to_regclass(format('%I._ferretdb_database_metadata', schema_name)) IS NOT NULL
$$;

-- The twin's name: the table's name, a hash of the expression, the suffix; at most 57 bytes
-- (PostgreSQL cuts names at 63), and the same for two btree indexes sharing a field, so one twin serves both.
CREATE OR REPLACE FUNCTION public.meshwork_gin_twin_name(table_name name, expr text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT left(regexp_replace(table_name, '[^a-z0-9_]', '', 'g'), 40) || '_' || left(md5(expr), 12) || '${GIN_TWIN_SUFFIX}'
$$;

-- Creates the GIN twins of one btree index on a FerretDB table (its leading field; every field if it is
-- unique); returns how many expressions it twinned.
CREATE OR REPLACE FUNCTION public.meshwork_gin_twins(index_oid oid) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  keys int2vector;
  column_count int;
  table_oid oid;
  schema_name name;
  table_name name;
  method name;
  is_unique boolean;
  expr text;
  twinned int := 0;
BEGIN
  SELECT i.indkey, i.indnkeyatts, i.indrelid, n.nspname, t.relname, am.amname, i.indisunique
    INTO keys, column_count, table_oid, schema_name, table_name, method, is_unique
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE i.indexrelid = index_oid;
  IF NOT FOUND OR method <> 'btree' OR NOT public.meshwork_is_ferretdb_table(schema_name, table_name) THEN
    RETURN 0;
  END IF;
  FOR col IN 1..CASE WHEN is_unique THEN column_count ELSE least(column_count, 1) END LOOP
    -- FerretDB indexes expressions on the document column; a plain column (key <> 0) is not its.
    CONTINUE WHEN keys[col - 1] <> 0;
    expr := pg_get_indexdef(index_oid, col, false);
    CONTINUE WHEN expr !~ '^\(*_jsonb -> ';
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin ((%s))',
                   public.meshwork_gin_twin_name(table_name, expr), schema_name, table_name, expr);
    twinned := twinned + 1;
  END LOOP;
  RETURN twinned;
END $$;

-- Drops the twins on FerretDB's tables in one schema that no btree index on their table needs any more
-- (leads with, or has among the fields of a unique index).
CREATE OR REPLACE FUNCTION public.meshwork_drop_unneeded_gin_twins(in_schema name) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  twin record;
  dropped int := 0;
BEGIN
  FOR twin IN
    SELECT ic.relname AS index_name, t.relname AS table_name, i.indrelid AS table_oid,
           pg_get_indexdef(i.indexrelid, 1, false) AS expr
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = in_schema AND am.amname = 'gin' AND ic.relname LIKE '%${GIN_TWIN_SUFFIX}'
  LOOP
    CONTINUE WHEN NOT public.meshwork_is_ferretdb_table(in_schema, twin.table_name);
    CONTINUE WHEN twin.index_name <> public.meshwork_gin_twin_name(twin.table_name, twin.expr);
    CONTINUE WHEN EXISTS (
      SELECT 1
        FROM pg_index b
        JOIN pg_class bc ON bc.oid = b.indexrelid
        JOIN pg_am bam ON bam.oid = bc.relam
        CROSS JOIN LATERAL generate_series(1, CASE WHEN b.indisunique THEN b.indnkeyatts ELSE least(b.indnkeyatts, 1) END) AS col
       WHERE b.indrelid = twin.table_oid AND bam.amname = 'btree'
         AND pg_get_indexdef(b.indexrelid, col, false) = twin.expr);
    EXECUTE format('DROP INDEX IF EXISTS %I.%I', in_schema, twin.index_name);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

CREATE OR REPLACE FUNCTION public.meshwork_gin_twins_on_create_index() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  command record;
BEGIN
  FOR command IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM public.meshwork_gin_twins(command.objid);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION public.meshwork_gin_twins_on_drop_index() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  dropped record;
BEGIN
  FOR dropped IN
    SELECT DISTINCT schema_name FROM pg_event_trigger_dropped_objects()
     WHERE object_type = 'index' AND NOT object_name LIKE '%${GIN_TWIN_SUFFIX}'
  LOOP
    PERFORM public.meshwork_drop_unneeded_gin_twins(dropped.schema_name);
  END LOOP;
END $$;

DROP EVENT TRIGGER IF EXISTS meshwork_gin_twins_on_create_index;
CREATE EVENT TRIGGER meshwork_gin_twins_on_create_index ON ddl_command_end
  WHEN TAG IN ('CREATE INDEX', 'CREATE TABLE')
  EXECUTE FUNCTION public.meshwork_gin_twins_on_create_index();

DROP EVENT TRIGGER IF EXISTS meshwork_gin_twins_on_drop_index;
CREATE EVENT TRIGGER meshwork_gin_twins_on_drop_index ON sql_drop
  WHEN TAG IN ('DROP INDEX')
  EXECUTE FUNCTION public.meshwork_gin_twins_on_drop_index();
`;

const CATCH_UP_SQL = `
SELECT coalesce(sum(public.meshwork_gin_twins(i.indexrelid)), 0)::int AS twinned
  FROM pg_index i
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
`;

/** Twins no index needs: left by an older version, which twinned every field of every index. */
const DROP_UNNEEDED_SQL = `
SELECT coalesce(sum(public.meshwork_drop_unneeded_gin_twins(n.nspname)), 0)::int AS dropped
  FROM pg_namespace n
 WHERE to_regclass(format('%I._ferretdb_database_metadata', n.nspname)) IS NOT NULL
`;

/**
 * Installs the trigger and twins the indexes that already exist. Runs as PostgreSQL's superuser
 * (event triggers need one) before FerretDB starts, so no index FerretDB creates is missed;
 * idempotent, so it runs at every start, on new and old data folders alike.
 */
export async function installGinTwins(connection: PostgresConnection, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: connection.url });
  await client.connect();
  try {
    // One transaction: a failed install leaves the previous one (or none) in place, never half of one.
    await client.query('BEGIN');
    await client.query(INSTALL_SQL);
    const result = await client.query<{ twinned: number }>(CATCH_UP_SQL);
    const dropped = await client.query<{ dropped: number }>(DROP_UNNEEDED_SQL);
    await client.query('COMMIT');
    log.debug({ expressionsTwinned: result.rows[0]?.twinned ?? 0, twinsDropped: dropped.rows[0]?.dropped ?? 0 }, 'GIN twins of FerretDB indexes installed');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }
}
