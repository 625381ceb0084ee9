import mongoose from 'mongoose';

/** One database command as mongoose sends it: collection, method, its first argument (for reading a failure) and its second (an update's changes). */
export interface RecordedCommand {
  collection: string;
  method: string;
  filter: unknown;
  update?: unknown;
}

/**
 * Records every command mongoose sends to the database while `work` runs (mongoose's debug hook sees
 * each collection call: find, updateOne, insertOne, findOneAndUpdate...). A count, never a timing.
 */
export async function recordCommands<T>(work: () => Promise<T>, keep: (command: RecordedCommand) => boolean = () => true): Promise<{ result: T; commands: RecordedCommand[] }> {
  const commands: RecordedCommand[] = [];
  mongoose.set('debug', (collection: string, method: string, filter: unknown, update?: unknown) => {
    const command = { collection, method, filter, update };
    if (keep(command)) commands.push(command);
  });
  try {
    return { result: await work(), commands };
  } finally {
    mongoose.set('debug', false);
  }
}

/** "checkins.findOne({...})" lines, for an assertion's message. */
export function describeCommands(commands: RecordedCommand[]): string {
  return commands.map((c) => `${c.collection}.${c.method}(${JSON.stringify(c.filter)})`).join('\n  ');
}
