/**
 * src/server.ts, unchanged, with the twilio SDK's requests sent to the local fake Twilio instead of
 * api.twilio.com (the same rewrite src/sms/testing/fake-twilio.ts does for the tests). The real SDK,
 * the real TwilioSmsSender and the real outbox run; only the host name changes.
 */
import { renameSync, writeFileSync } from 'node:fs';
import mongoose from 'mongoose';
import twilio from 'twilio';

const fakeTwilioUrl = process.env.BENCH_FAKE_TWILIO_URL;
if (!fakeTwilioUrl) throw new Error('BENCH_FAKE_TWILIO_URL is required (the bench starts a fake Twilio for its servers)');

type RequestOptions = Parameters<twilio.RequestClient['request']>[0];
const prototype = twilio.RequestClient.prototype;
const send = prototype.request;
prototype.request = function request<TData>(this: twilio.RequestClient, opts: RequestOptions & { data?: TData }) {
  return send.call(this, { ...opts, uri: opts.uri.replace(/^https:\/\/[^/]+/, fakeTwilioUrl) }) as ReturnType<typeof send<TData>>;
};

// Profiling only (npm run bench -- --cpu-prof): every database command this process sends, counted by
// command and collection, with the documents it carried and its round-trip time, written once a second.
const statsFile = process.env.BENCH_COMMAND_STATS;
if (statsFile) countCommands(statsFile);

void import('../../src/server');

function countCommands(file: string): void {
  type Stat = { count: number; docs: number; ms: number };
  const stats: Record<string, Stat> = {};
  const pending = new Map<number, string>();
  const connect = mongoose.connect.bind(mongoose);
  mongoose.connect = (async (uri: string, options?: mongoose.ConnectOptions) => {
    const connected = await connect(uri, { ...options, monitorCommands: true });
    const client = connected.connection.getClient();
    client.on('commandStarted', (event) => {
      const command = event.command as Record<string, unknown>;
      const collection = typeof command[event.commandName] === 'string' ? String(command[event.commandName]) : '';
      const docs = event.commandName === 'insert' ? (command.documents as unknown[] | undefined)?.length : event.commandName === 'update' ? (command.updates as unknown[] | undefined)?.length : event.commandName === 'delete' ? (command.deletes as unknown[] | undefined)?.length : 1;
      const key = `${event.commandName} ${collection}`.trim();
      pending.set(event.requestId, key);
      const stat = (stats[key] ??= { count: 0, docs: 0, ms: 0 });
      stat.count += 1;
      stat.docs += docs ?? 0;
    });
    const done = (event: { requestId: number; duration: number }) => {
      const key = pending.get(event.requestId);
      pending.delete(event.requestId);
      if (key && stats[key]) stats[key].ms += event.duration;
    };
    client.on('commandSucceeded', done);
    client.on('commandFailed', done);
    return connected;
  }) as typeof mongoose.connect;
  setInterval(() => {
    writeFileSync(`${file}.tmp`, JSON.stringify(stats));
    renameSync(`${file}.tmp`, file);
  }, 1000).unref();
}
