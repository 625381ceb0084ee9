import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';

export interface MachineDescription {
  cpus: string;
  memory: string;
  node: string;
  os: string;
  database: string;
  loadAtStart: string;
  loadAtEnd?: string;
  startedAt: string;
}

/** Load averages (1, 5, 15 min) against the core count: other work on the machine skews absolute figures. */
export function loadNow(): string {
  const [one, five, fifteen] = os.loadavg().map((l) => l.toFixed(2));
  return `${one} / ${five} / ${fifteen} (1/5/15 min) on ${os.cpus().length} cores`;
}

export async function describeMachine(databaseLine: string, connection: mongoose.Connection): Promise<MachineDescription> {
  const cpus = os.cpus();
  const model = cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown CPU';
  return {
    cpus: `${cpus.length} × ${model}`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB total, ${(os.freemem() / 2 ** 30).toFixed(1)} GiB free at start`,
    node: `${process.version} (${process.arch}), V8 ${process.versions.v8}`,
    os: `${os.type()} ${os.release()}${distribution()}`,
    database: `${databaseLine}; server reports: ${await serverVersion(connection)}`,
    loadAtStart: loadNow(),
    startedAt: new Date().toISOString(),
  };
}

function distribution(): string {
  try {
    const text = execFileSync('cat', ['/etc/os-release'], { encoding: 'utf8' });
    const name = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(text)?.[1];
    return name ? ` (${name})` : '';
  } catch {
    return '';
  }
}

async function serverVersion(connection: mongoose.Connection): Promise<string> {
  try {
    const info = (await connection.db!.admin().command({ buildInfo: 1 })) as { version?: string; ferretdbVersion?: string; ferretdb?: { version?: string } };
    const ferret = info.ferretdbVersion ?? info.ferretdb?.version;
    return ferret ? `FerretDB (buildInfo ferretdbVersion "${ferret}"; ${ferretDbModuleVersion()} per src/db/ferretdb/go.mod), MongoDB-compatible version ${info.version}` : `MongoDB ${info.version}`;
  } catch (error) {
    return `unknown (${String(error)})`;
  }
}

function ferretDbModuleVersion(): string {
  try {
    const goMod = readFileSync(path.resolve(__dirname, '..', '..', 'src', 'db', 'ferretdb', 'go.mod'), 'utf8');
    return /github\.com\/FerretDB\/FerretDB (v[\w.-]+)/.exec(goMod)?.[1] ?? 'version unknown';
  } catch {
    return 'version unknown';
  }
}

/** True when the server answering is a real MongoDB (explain() plans and indexes mean something). */
export async function isRealMongo(connection: mongoose.Connection): Promise<boolean> {
  const info = (await connection.db!.admin().command({ buildInfo: 1 })) as { ferretdbVersion?: string; ferretdb?: unknown };
  return !info.ferretdbVersion && !info.ferretdb;
}
