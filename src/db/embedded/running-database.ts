/**
 * What a started embedded database is: its public shape, the error that says what the machine
 * lacks, and the handle that stops its servers in order and reports their crashes.
 */
import type { Logger } from 'pino';
import type { PostgresConnection } from './postgresql-indexes';
import { removeTempDir } from './processes';

export type EmbeddedKind = 'mongodb-memory-server' | 'ferretdb-postgresql';

export interface EmbeddedDatabase {
  kind: EmbeddedKind;
  /** e.g. mongodb://127.0.0.1:PORT/ (no database name in it) */
  uri: string;
  /** where its data lives (a temporary folder when not persistent) */
  dataDir: string;
  /** one human line: which server runs, on which address, where its data lives */
  describe(): string;
  /** stops everything it started (FerretDB, then PostgreSQL); idempotent */
  stop(): Promise<void>;
  /** called if a child server dies unexpectedly (once per child) */
  onCrash(listener: (reason: string) => void): void;
  /**
   * The PostgreSQL under FerretDB (kind 'ferretdb-postgresql' only), as its superuser: for tests
   * that check PostgreSQL's plans and indexes. Never for the service's own queries.
   */
  postgresql?: PostgresConnection;
}

export interface EmbeddedOptions {
  /** used when persistent; a fresh temporary folder is used otherwise */
  dataDir: string;
  persistent: boolean;
  logger: Logger;
  prefer?: 'auto' | 'mongodb' | 'ferretdb';
}

/** The machine lacks what an embedded database needs; the message says what to install or set. */
export class EmbeddedDatabaseUnavailableError extends Error {
  override name = 'EmbeddedDatabaseUnavailableError';
}

export const OR_EXTERNAL = 'or set MONGODB_URI=mongodb://... to use an existing MongoDB';

// The running database: stop order, crash listeners

export class RunningDatabase implements EmbeddedDatabase {
  private readonly crashListeners: Array<(reason: string) => void> = [];
  private readonly crashes: string[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    readonly kind: EmbeddedKind,
    readonly uri: string,
    readonly dataDir: string,
    private readonly description: string,
    private readonly stopServers: () => Promise<void>,
    private readonly tempDir: string | undefined,
    private readonly log: Logger,
    readonly postgresql?: PostgresConnection,
  ) {}

  describe(): string {
    return this.description;
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  onCrash(listener: (reason: string) => void): void {
    this.crashListeners.push(listener);
    // A crash before anyone listened must not go unnoticed.
    for (const reason of this.crashes) queueMicrotask(() => this.notify(listener, reason));
  }

  reportCrash(reason: string): void {
    if (this.stopping) return;
    this.log.error({ reason }, 'embedded database server died');
    this.crashes.push(reason);
    for (const listener of this.crashListeners) this.notify(listener, reason);
  }

  private notify(listener: (reason: string) => void, reason: string): void {
    try {
      listener(reason);
    } catch (err) {
      this.log.error({ err }, 'an onCrash listener threw');
    }
  }

  private async stopAll(): Promise<void> {
    try {
      await this.stopServers();
    } finally {
      if (this.tempDir) await removeTempDir(this.tempDir);
      this.log.debug('embedded database stopped');
    }
  }
}
