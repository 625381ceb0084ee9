/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --cpu-prof`, in bench/out/profiles): where the
 * process spent its time, by package or source file and by function (self time).
 *
 *   npx tsx bench/profile-summary.ts bench/out/profiles/escalation-server.cpuprofile [top]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const PROJECT = path.resolve(__dirname, '..');

/** "(idle)", "mongodb", "src/safety/delivery/deliver-outbox.ts", "node:internal" ... */
function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node: (built-in modules)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  return path.relative(PROJECT, file);
}

export function summarise(file: string, top = 25): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const groups = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    const group = groupOf(callFrame.url, callFrame.functionName);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const where = callFrame.url ? `${groupOf(callFrame.url, '')}:${callFrame.lineNumber + 1}` : '';
    const name = `${callFrame.functionName || '(anonymous)'} ${where}`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s profiled`, '', 'self time by package / file:'];
  for (const [group, us] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)} ${ms(us)}  ${group}`);
  lines.push('', 'self time by function:');
  for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${pct(us)} ${ms(us)}  ${name}`);
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/profile-summary.ts FILE.cpuprofile [top]');
    process.exit(2);
  }
  console.log(summarise(file, top ? Number(top) : 25));
}
