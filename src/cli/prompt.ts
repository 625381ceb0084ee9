import { createInterface, type Interface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * One reader for the whole process: several questions in a row (a PIN, then the same PIN again)
 * read successive lines of piped input, which one readline per question would drop.
 * Secrets are typed without echo on a terminal; they never come from argv, where `ps` shows them.
 */
let muted = false;
const output = new Writable({
  write(chunk, _encoding, done) {
    if (!muted) process.stderr.write(chunk);
    done();
  },
});
let reader: Interface | undefined;
let ended = false;
const lines: string[] = [];
const waiting: ((line: string | undefined) => void)[] = [];

function open(): void {
  if (reader) return;
  reader = createInterface({ input: process.stdin, output, terminal: Boolean(process.stdin.isTTY) });
  reader.setPrompt('');
  reader.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else lines.push(line);
  });
  reader.on('close', () => {
    ended = true;
    for (const next of waiting.splice(0)) next(undefined);
  });
  // In raw terminal mode Ctrl-C reaches readline, not the process: honour it.
  reader.on('SIGINT', () => {
    reader?.close();
    process.stderr.write('\n');
    process.exit(130);
  });
}

async function ask(question: string, secret: boolean): Promise<string> {
  open();
  process.stderr.write(question);
  muted = secret;
  const line = lines.length > 0 ? lines.shift() : ended ? undefined : await new Promise<string | undefined>((resolve) => waiting.push(resolve));
  muted = false;
  if (secret && process.stdin.isTTY) process.stderr.write('\n');
  if (line === undefined) throw new Error('No answer: the input ended.');
  return line;
}

/** Lets the process exit once the last question is answered (a terminal in raw mode keeps it alive). */
export function closePrompts(): void {
  reader?.close();
}

/** MESHWORK_PASSWORD (for scripts), else asked on the terminal without echo, else one line of stdin. */
export async function readPassword(question: string): Promise<string> {
  if (process.env.MESHWORK_PASSWORD) return process.env.MESHWORK_PASSWORD;
  return ask(question, true);
}

/** A secret that has no environment variable (a PIN): typed without echo, or one line of stdin. */
export function readSecret(question: string): Promise<string> {
  return ask(question, true);
}

/** A visible answer (a phone number, an alert message), kept out of argv and shell history. */
export async function readLine(question: string): Promise<string> {
  return (await ask(question, false)).trim();
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test((await ask(`${question} [y/N] `, false)).trim());
}
