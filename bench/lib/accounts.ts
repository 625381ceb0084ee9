import { randomBytes } from 'node:crypto';
import { MeshworkClient, type UnlockedAccount } from '../../src/client';

/** Registers and signs in through the real client (client-side key derivation, real HTTP): about a second each. */
export async function signUp(baseUrl: string, prefix: string): Promise<UnlockedAccount> {
  const client = await MeshworkClient.connect({ baseUrl });
  const handle = `${prefix}${randomBytes(3).toString('hex')}`;
  const password = `bench password for ${handle}`;
  await client.register(handle, password);
  return client.signIn(handle, password);
}
