import { errors } from '../shared/errors';
import { AccountModel } from './account.model';
import { toPublicAccountView } from './views';

/** Public keys by handle, for inviting someone to a team. Clients check the self-signature and pin what they saw. */
export async function getPublicKeys(handle: string) {
  const account = await AccountModel.findOne({ handle, deletingSince: { $exists: false } });
  if (!account) throw errors.notFound('No account with that handle.');
  return toPublicAccountView(account);
}
