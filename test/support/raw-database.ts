import mongoose from 'mongoose';

/** Every collection of the raw database as one string, to search for plaintext. */
export async function rawDump(): Promise<string> {
  const db = mongoose.connection.db!;
  const collections = await db.listCollections().toArray();
  const parts: string[] = [];
  for (const { name } of collections) parts.push(JSON.stringify(await db.collection(name).find({}).toArray()));
  return parts.join('\n');
}

/** How many documents each collection holds: compared before and after a refused request, nothing may change. */
export async function countAll(): Promise<Record<string, number>> {
  const db = mongoose.connection.db!;
  const counts: Record<string, number> = {};
  for (const { name } of await db.listCollections().toArray()) counts[name] = await db.collection(name).countDocuments();
  return counts;
}
