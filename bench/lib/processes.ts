import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import type { FakeTwilioReply, FakeTwilioRequest, LoggedSms } from '../support/fake-twilio-server';
import { RssSampler } from './rss';

export const BENCH_DIR = path.resolve(__dirname, '..');
export const PROJECT_DIR = path.resolve(BENCH_DIR, '..');
export const OUT_DIR = path.join(BENCH_DIR, 'out');
/** With --cpu-prof: the embedded FerretDB proxy's per-command lock statistics (bench/lib/db-profile.ts reads them). */
export const PROXY_STATS_FILE = path.join(OUT_DIR, 'profiles', 'ferretdb-proxy.json');

export interface NodeChild {
  name: string;
  process: ChildProcess;
  pid: number;
  /** the address printed by the child once it listens */
  url: string;
  rss: RssSampler;
  /** SIGTERM, then SIGKILL after graceMs; resolves once it has exited; returns its peak RSS in MiB */
  stop(graceMs?: number): Promise<number>;
}

interface SpawnOptions {
  env: NodeJS.ProcessEnv;
  /** printed on stderr once the child is ready; group 1 is its URL */
  ready: RegExp;
  ipc?: boolean;
  nodeArgs?: string[];
  timeoutMs?: number;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Runs a TypeScript file under node + tsx; its stdout goes to bench/out/logs/NAME.log, stderr is watched for `ready`. */
export async function startNodeChild(name: string, script: string, opts: SpawnOptions): Promise<NodeChild> {
  const logDir = path.join(OUT_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFd = openSync(path.join(logDir, `${name}.log`), 'w');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', script], {
    cwd: PROJECT_DIR,
    env: opts.env,
    stdio: ['ignore', logFd, 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
  });
  closeSync(logFd);
  live.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  const recent: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${opts.timeoutMs ?? 60_000} ms:\n${recent.join('\n')}`)), opts.timeoutMs ?? 60_000);
    let buffered = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 40) recent.shift();
        const match = opts.ready.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] ?? '');
        }
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}):\n${recent.join('\n')}`));
    });
  });
  const rss = new RssSampler(child.pid!);
  return {
    name,
    process: child,
    pid: child.pid!,
    url,
    rss,
    async stop(graceMs = 15_000) {
      const peak = rss.stop();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      return peak;
    },
  };
}

export interface ServerSettings {
  name: string;
  mongodbUri: string;
  dbName: string;
  serverSecret: string;
  fakeTwilioUrl: string;
  tickSeconds: number;
  cpuProf?: boolean;
  env?: Record<string, string>;
}

export const BENCH_PUBLIC_URL = 'https://meshwork.bench.invalid';
export const FAKE_TWILIO = { accountSid: `AC${'0'.repeat(31)}1`, authToken: 'fake-twilio-auth-token-for-tests', from: '+15005550006' };

/** src/server.ts in production mode, logging at info to a file, sending SMS through the real twilio SDK to the fake Twilio. */
export function startServer(s: ServerSettings): Promise<NodeChild> {
  // One folder per server: tsx's module-loader thread writes a profile of its own beside the main thread's.
  const profileDir = path.join(OUT_DIR, 'profiles', s.name);
  if (s.cpuProf) mkdirSync(profileDir, { recursive: true });
  return startNodeChild(s.name, 'bench/support/server-entry.ts', {
    ready: /Meshwork is listening on (http:\/\/\S+)/,
    nodeArgs: s.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      PUBLIC_URL: BENCH_PUBLIC_URL,
      LOG_LEVEL: 'info',
      MONGODB_URI: s.mongodbUri,
      DB_NAME: s.dbName,
      SERVER_SECRET: s.serverSecret,
      INSTANCE_ID: s.name,
      SCHEDULER_TICK_SECONDS: String(s.tickSeconds),
      SMS_TRANSPORT: 'twilio',
      TWILIO_ACCOUNT_SID: FAKE_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: FAKE_TWILIO.authToken,
      TWILIO_FROM_NUMBER: FAKE_TWILIO.from,
      BENCH_FAKE_TWILIO_URL: s.fakeTwilioUrl,
      ...s.env,
    },
  });
}

export function startBaselineServer(mongodbUri: string, dbName: string): Promise<NodeChild> {
  return startNodeChild('baseline', 'bench/support/baseline-server.ts', {
    ready: /baseline listening on (http:\/\/\S+)/,
    env: { ...process.env, NODE_ENV: 'production', MONGODB_URI: mongodbUri, DB_NAME: dbName },
  });
}

export interface FakeTwilioProcess extends NodeChild {
  log(): Promise<{ messages: LoggedSms[]; requests: number }>;
  reset(): Promise<void>;
}

export async function startFakeTwilio(): Promise<FakeTwilioProcess> {
  const child = await startNodeChild('fake-twilio', 'bench/support/fake-twilio-server.ts', {
    ready: /fake twilio listening on (http:\/\/\S+)/,
    ipc: true,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const ask = <T extends FakeTwilioReply['type']>(request: FakeTwilioRequest, type: T) =>
    new Promise<Extract<FakeTwilioReply, { type: T }>>((resolve) => {
      const onMessage = (reply: FakeTwilioReply) => {
        if (reply.type !== type) return;
        child.process.off('message', onMessage);
        resolve(reply as Extract<FakeTwilioReply, { type: T }>);
      };
      child.process.on('message', onMessage);
      child.process.send(request);
    });
  return {
    ...child,
    async log() {
      const reply = await ask({ type: 'dump' }, 'dump');
      return { messages: reply.messages, requests: reply.requests };
    },
    async reset() {
      await ask({ type: 'reset' }, 'reset');
    },
  };
}
