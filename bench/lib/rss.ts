import { readFileSync } from 'node:fs';

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
