/**
 * The embedded servers' child processes: output to the logger, crash detection, stop by
 * signal steps, and none left behind when node exits; plus the small helpers (ports, PATH,
 * the project root) that the mongod, PostgreSQL and FerretDB starters share.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

export const execFileAsync = promisify(execFile);

/** PostgreSQL's user when node runs as root (see src/db/embedded/postgresql.ts). */
export interface RunAs {
  uid?: number;
  gid?: number;
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** resolves once the process has exited (never rejects) */
  exited: Promise<void>;
  exitDescription: string | undefined;
  /** set before a deliberate stop, so that exit is not reported as a crash */
  stopping: boolean;
  /** what the process 'exit' handler sends when node exits without stop() */
  signalOnNodeExit: NodeJS.Signals;
  recentLines: string[];
  lineListeners: Array<(line: string) => void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  runAs?: RunAs;
  signalOnNodeExit?: NodeJS.Signals;
}

export const liveChildren = new Set<Child>();
export const tempDirsToRemoveOnExit = new Set<string>();

export function spawnChild(name: string, command: string, args: string[], opts: SpawnOptions, log: Logger): Child {
  installExitHandler();
  const proc = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
    // A process group of its own: systemd (KillMode=control-group), `kill -- -PID` and container runtimes
    // signal the whole group, which would stop the database under in-flight requests. We stop it ourselves,
    // after the HTTP server and the scheduler; if node dies, pdeathsig (PostgreSQL) or stdin closing (FerretDB)
    // still takes it down.
    detached: true,
    ...(opts.runAs ?? {}),
  });
  const child: Child = {
    name,
    process: proc,
    exited: Promise.resolve(),
    exitDescription: undefined,
    stopping: false,
    signalOnNodeExit: opts.signalOnNodeExit ?? 'SIGTERM',
    recentLines: [],
    lineListeners: [],
  };
  child.exited = trackExit(child);
  liveChildren.add(child);
  forwardOutput(child, log);
  // Writing is never needed; an EPIPE on a dead child's stdin must not crash node.
  proc.stdin?.on('error', () => undefined);
  return child;
}

function trackExit(child: Child): Promise<void> {
  return new Promise((resolve) => {
    const done = (description: string) => {
      child.exitDescription ??= description;
      liveChildren.delete(child);
      resolve();
    };
    child.process.once('exit', (code, signal) => done(signal ? `killed by ${signal}` : `exit code ${code}`));
    child.process.once('error', (err) => done(`could not run: ${err.message}`));
  });
}

function forwardOutput(child: Child, log: Logger): void {
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      log.debug({ child: child.name }, line);
      child.recentLines.push(line);
      if (child.recentLines.length > 30) child.recentLines.shift();
      for (const listener of child.lineListeners) listener(line);
    }
  };
  child.process.stdout?.on('data', onData);
  child.process.stderr?.on('data', onData);
}

export function lastLines(child: Child, count = 8): string {
  return child.recentLines.slice(-count).join('\n');
}

/** Sends each signal in turn, waiting its timeout, until the child has exited. */
export async function stopChild(child: Child, steps: Array<[NodeJS.Signals, number]>): Promise<void> {
  child.stopping = true;
  for (const [signal, timeoutMs] of steps) {
    if (!liveChildren.has(child)) return;
    child.process.kill(signal);
    if (await settlesWithin(child.exited, timeoutMs)) return;
  }
}

export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves on the first output line matching `pattern`; rejects if the child exits first. */
export function waitForLine(child: Child, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${child.name} not ready after ${timeoutMs} ms`)), timeoutMs);
    const listener = (line: string) => {
      if (pattern.test(line)) finish();
    };
    const finish = (err?: Error) => {
      clearTimeout(timer);
      child.lineListeners = child.lineListeners.filter((l) => l !== listener);
      if (err) reject(err);
      else resolve();
    };
    child.lineListeners.push(listener);
    void child.exited.then(() =>
      finish(new Error(`${child.name} exited during start (${child.exitDescription}):\n${lastLines(child)}`)),
    );
  });
}

/** Runs a command to completion; throws with the end of its output if it fails. */
export async function runToCompletion(name: string, command: string, args: string[], opts: SpawnOptions & { input?: string }, log: Logger): Promise<void> {
  const child = spawnChild(name, command, args, opts, log);
  child.process.stdin?.end(opts.input ?? '');
  await child.exited;
  if (child.exitDescription !== 'exit code 0') {
    throw new Error(`${name} failed (${child.exitDescription}):\n${lastLines(child, 15)}`);
  }
}

let exitHandlerInstalled = false;

/** Node can exit without stop() (process.exit, an uncaught error); leave no server behind. */
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.once('exit', () => {
    for (const child of liveChildren) {
      try {
        child.process.kill(child.signalOnNodeExit);
      } catch {
        // already gone
      }
    }
    if (tempDirsToRemoveOnExit.size === 0) return;
    waitSyncForExit([...liveChildren].map((c) => c.process.pid), 2000);
    for (const dir of tempDirsToRemoveOnExit) rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
  });
}

/** Only usable in the 'exit' handler, where nothing asynchronous runs any more. */
function waitSyncForExit(pids: Array<number | undefined>, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (Date.now() < deadline && pids.some((pid) => pid !== undefined && isRunning(pid))) {
    Atomics.wait(pause, 0, 0, 20);
  }
}

/** True if the process runs; a zombie (exited, not yet reaped) does not count. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = readProcStat(pid);
  return stat === undefined ? os.platform() !== 'linux' : stat.state !== 'Z';
}

export function readProcStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses; fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

export function readProcCmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

// --- Small helpers ---

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await fs.access(file, fs.constants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

export async function findOnPath(command: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && (await isExecutable(path.join(dir, command)))) return path.join(dir, command);
  }
  return undefined;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The folder holding package.json: .cache lives there, and src/db/ferretdb under it. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  tempDirsToRemoveOnExit.delete(dir);
}
