import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startTestService, type TestService } from './support/service';
import { rawDump } from './support/teams';

const run = promisify(execFile);

describe('The meshwork command-line client', function () {
  let service: TestService;
  let dir: string;

  before(async () => {
    service = await startTestService();
    dir = mkdtempSync(path.join(tmpdir(), 'meshwork-cli-'));
  });
  after(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The real bin, as a child process, against the test server over HTTP. */
  const cli = (who: string, ...args: string[]) =>
    run(process.execPath, ['bin/meshwork.js', ...args], {
      env: { ...process.env, MESHWORK_SERVER: service.baseUrl, MESHWORK_STATE: path.join(dir, who, 'state.json'), MESHWORK_PASSWORD: `a long password for ${who}` },
    });

  it('registers two people, shares a team after comparing safety numbers, stores a risk map and prints its summary', async () => {
    const registered = await cli('ana', 'register', 'ana-cli');
    assert.match(registered.stdout, /Recovery words/);
    assert.equal(registered.stdout.split('\n')[2]!.trim().split(' ').length, 24);
    await cli('rosa', 'register', 'rosa-cli');
    assert.equal(statSync(path.join(dir, 'ana', 'state.json')).mode & 0o777, 0o600);
    assert.ok(!readFileSync(path.join(dir, 'ana', 'state.json'), 'utf8').includes('a long password'), 'the password is not stored');

    const created = await cli('ana', 'team', 'create', 'Marker-CLI-TEAM');
    const teamId = /\(([a-f0-9]{24})\)/.exec(created.stdout)![1]!;
    await cli('ana', 'team', 'invite', teamId, 'rosa-cli');
    assert.match((await cli('rosa', 'team', 'invitations')).stdout, new RegExp(`${teamId}\\s+ana-cli\\s+no`));
    await cli('rosa', 'team', 'accept', teamId);
    const anaSees = /((?:\d{5} ){11}\d{5})/.exec((await cli('ana', 'team', 'verify', teamId, 'rosa-cli')).stdout)![1];
    const rosaSees = /((?:\d{5} ){11}\d{5})/.exec((await cli('rosa', 'team', 'verify', teamId, 'ana-cli')).stdout)![1];
    assert.equal(anaSees, rosaSees);
    await cli('ana', 'team', 'add', teamId, 'rosa-cli', '--yes');

    const put = await cli('ana', 'doc', 'put', 'Marker-CLI-TEAM', 'risk-map', 'docs/examples/risk-map.json');
    const documentId = /risk-map ([a-f0-9]{24}) version 1/.exec(put.stdout)![1]!;
    const summary = await cli('rosa', 'risk', 'summary', 'Marker-CLI-TEAM');
    assert.match(summary.stdout, /CRITICAL\s+60\s+3\s+5/);
    assert.match(summary.stdout, /Arbitrary detention of the spokesperson/);
    const got = await cli('rosa', 'doc', 'get', teamId, documentId);
    assert.equal(JSON.parse(got.stdout).title, 'Risk map: land defence in the valley, 2025');

    await cli('rosa', 'incident', 'add', teamId, '--what', 'Marker-CLI-INCIDENT followed home', '--when', '2025-03-10T18:30:00Z', '--actors', 'two men');
    assert.match((await cli('ana', 'incident', 'list', teamId)).stdout, /2025-03-10 18:30.*Marker-CLI-INCIDENT followed home\s+two men/);
    assert.match((await cli('ana', 'team', 'log', teamId)).stdout, /All 3 entries verified/);

    const dump = await rawDump();
    assert.ok(!dump.includes('Marker-CLI') && !dump.includes('land defence'));

    await cli('rosa', 'logout');
    assert.match((await cli('rosa', 'whoami')).stdout, /Not signed in/);
    await assert.rejects(cli('rosa', 'team', 'list'), (error: { stderr?: string; code?: number }) => /Not signed in/.test(error.stderr ?? '') && error.code === 1);
  });
});
