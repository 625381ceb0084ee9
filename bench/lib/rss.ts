import { readdirSync, readFileSync } from 'node:fs';

/** kB fields of /proc/PID/status: VmRSS (now) and VmHWM (the kernel's own peak RSS since the process started). */
function statusKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Peak resident memory of a process during a run: polled VmRSS (every intervalMs) and, when the process
 * is still alive at the end, the kernel's VmHWM, which also catches peaks between two polls. Each server
 * process is started fresh for its run, so its VmHWM covers that run only.
 */
export class RssSampler {
  private peakKiB = 0;
  private samples = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  private sample(): void {
    const rss = statusKiB(this.pid, 'VmRSS');
    if (rss === undefined) return;
    this.samples += 1;
    this.peakKiB = Math.max(this.peakKiB, rss);
  }

  /** Peak so far in MiB (includes VmHWM if the process is alive). */
  peakMiB(): number {
    this.sample();
    const hwm = statusKiB(this.pid, 'VmHWM') ?? 0;
    return Math.max(this.peakKiB, hwm) / 1024;
  }

  stop(): number {
    const peak = this.peakMiB();
    clearInterval(this.timer);
    return peak;
  }
}

export function currentRssMiB(pid = process.pid): number {
  return (statusKiB(pid, 'VmRSS') ?? 0) / 1024;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds of one process so far (/proc/PID/stat fields 14 and 15). */
export function cpuSecondsOf(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by every live descendant of `root` (the database servers the bench started,
 * the server processes), summed by command name: "node", "ferretdb", "postgres".
 */
export function descendantCpuByName(root = process.pid): Map<string, number> {
  const parents = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
      const ppid = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), { ppid, name });
    } catch {
      // exited meanwhile
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid)?.ppid, hops = 0; p && hops < 20; p = parents.get(p)?.ppid, hops += 1) if (p === root) return true;
    return false;
  };
  const byName = new Map<string, number>();
  for (const [pid, { name }] of parents) {
    if (!isDescendant(pid)) continue;
    byName.set(name, (byName.get(name) ?? 0) + cpuSecondsOf(pid));
  }
  return byName;
}

/** CPU seconds per process name used between two descendantCpuByName() readings. */
export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  return [...after].map(([name, s]) => [name, s - (before.get(name) ?? 0)] as [string, number]).filter(([, s]) => s > 0.05).sort((a, b) => b[1] - a[1]);
}
