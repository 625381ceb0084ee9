import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

interface Running {
  child: ChildProcess;
  output: () => string;
  baseUrl: string;
  exited: Promise<number | null>;
}

/** Starts the real composition root (src/server.ts) as a person would, on its own embedded database. */
async function startServer(env: Record<string, string>, options: { ownGroup?: boolean } = {}): Promise<Running> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    // Its own process group, so the test can signal the whole group as systemd does, without signalling mocha.
    detached: options.ownGroup ?? false,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', MONGODB_URI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /listening on (http:\/\/[\d.]+:\d+)/.exec(output);
      if (match) {
        clearInterval(check);
        resolve(match[1]!);
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  return { child, output: () => output, baseUrl, exited };
}

function childrenOf(pid: number): Array<{ pid: number; args: string }> {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  return lines.map((line) => {
    const [, childPid, args] = /^\s*(\d+)\s+(.*)$/.exec(line)!;
    return { pid: Number(childPid), args: args! };
  });
}

/** Children get a moment to finish their own shutdown after the parent exits; then none may remain. */
async function waitUntilGone(pid: number, withinMs = 15_000): Promise<boolean> {
  for (let waited = 0; waited < withinMs; waited += 100) {
    if (!alive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !alive(pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('The service process (npm start)', function () {
  this.timeout(240_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'meshwork-server-test-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts on the embedded database, says which one and where its data is, answers readiness, and stops cleanly on SIGTERM', async () => {
    const server = await startServer({ DATA_DIR: dataDir });
    assert.match(server.output(), /Database: .* data in .*meshwork-server-test-/);
    const ready = await fetch(`${server.baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    const embedded = childrenOf(server.child.pid!);
    assert.ok(embedded.length > 0, 'the embedded database runs as a child process');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
    for (const { pid, args } of embedded) assert.ok(await waitUntilGone(pid), `child ${pid} (${args}) was left running`);
  });

  it('finishes requests in flight and logs no error when its whole process group gets SIGTERM (systemd, kill -- -PID)', async () => {
    const server = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, { ownGroup: true });
    const embedded = childrenOf(server.child.pid!);
    assert.ok(embedded.length > 0);
    // Sign-ins read the database and run a slow scrypt (unknown handles too), so they are still in flight
    // when the signal arrives.
    const signIn = (i: number) =>
      fetch(`${server.baseUrl}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: `group-${i}`, authKey: 'A'.repeat(43) }) }).then((r) => r.status);
    const inFlight = Array.from({ length: 8 }, (_, i) => signIn(i));
    await new Promise((resolve) => setTimeout(resolve, 150));
    process.kill(-server.child.pid!, 'SIGTERM');
    const statuses = await Promise.all(inFlight);
    for (const status of statuses) assert.ok(status === 401 || status === 429, `answered ${status}`);
    assert.equal(await server.exited, 0);
    const lines = server.output().split('\n').filter((l) => l.startsWith('{'));
    const errors = lines.filter((l) => /"level":(50|60)/.test(l));
    assert.deepEqual(errors, [], 'no error-level log line');
    assert.doesNotMatch(server.output(), /embedded database server died/);
    for (const { pid, args } of embedded) assert.ok(await waitUntilGone(pid), `child ${pid} (${args}) was left running`);
  });

  it('exits non-zero when the embedded database crashes, instead of running on without it', async function () {
    const server = await startServer({ DATA_DIR: dataDir, EMBEDDED_DB: 'ferretdb' });
    const ferret = childrenOf(server.child.pid!).find((c) => /ferretdb/.test(c.args));
    assert.ok(ferret, `no FerretDB child found among ${JSON.stringify(childrenOf(server.child.pid!))}`);
    process.kill(ferret.pid, 'SIGKILL');
    const code = await server.exited;
    assert.notEqual(code, 0);
    assert.match(server.output(), /crash/i);
  });

  it('refuses to start with a bad setting and names the key', async () => {
    await assert.rejects(startServer({ DATA_DIR: dataDir, SESSION_TTL_SECONDS: 'soon' }), /SESSION_TTL_SECONDS/);
  });

  it('refuses to start in production without SERVER_SECRET', async () => {
    await assert.rejects(startServer({ DATA_DIR: dataDir, NODE_ENV: 'production' }), /SERVER_SECRET/);
  });
});
