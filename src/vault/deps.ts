import type { Clock } from '../shared/clock';
import type { Sodium } from '../shared/sodium';

export interface VaultDeps {
  clock: Clock;
  sodium: Sodium;
  config: { VAULT_MAX_DOCUMENT_BYTES: number };
}
