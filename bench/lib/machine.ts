import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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
  /** highest 1-minute load average seen during the run */
  peakLoad?: number;
  /** CPU used by this run's processes and by everything else on the machine meanwhile */
  cpuShare?: string;
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

const TICKS = 100;

/** Busy CPU seconds of the whole machine (all cores) since boot, from /proc/stat. */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, ...values] = line.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = values.map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

/** CPU seconds of this process and everything it started, including children that have exited and been waited for. */
function ourTreeSeconds(root = process.pid): number {
  const stats = new Map<number, { ppid: number; own: number; children: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), { ppid: Number(f[1]), own: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS });
    } catch {
      // exited meanwhile
    }
  }
  let total = 0;
  for (const [pid, s] of stats) {
    let inTree = pid === root;
    for (let p = s.ppid, hops = 0; !inTree && p && hops < 20; p = stats.get(p)?.ppid ?? 0, hops += 1) inTree = p === root;
    if (inTree) total += s.own + s.children;
  }
  return total;
}

/** How much of the machine the bench used, and how much other work did, between start() and stop(). */
export function startCpuAccounting(): () => { seconds: number; machineBusy: number; ours: number; others: number; cores: number } {
  const t0 = Date.now();
  const busy0 = machineBusySeconds();
  const ours0 = ourTreeSeconds();
  return () => {
    const seconds = (Date.now() - t0) / 1000;
    const machineBusy = machineBusySeconds() - busy0;
    const ours = ourTreeSeconds() - ours0;
    return { seconds, machineBusy, ours, others: Math.max(0, machineBusy - ours), cores: os.cpus().length };
  };
}
