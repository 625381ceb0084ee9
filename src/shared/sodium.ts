import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

/**
 * Every libsodium function Meshwork calls, client and server. Checked at start-up so a build of
 * libsodium without one of them (e.g. the non-sumo build, which lacks crypto_pwhash) fails loudly
 * before anyone relies on it, not in the middle of a sign-in.
 */
export const SODIUM_FUNCTIONS_USED = [
  'crypto_pwhash',
  'crypto_kdf_derive_from_key',
  'crypto_box_keypair',
  'crypto_scalarmult_base',
  'memzero',
  'crypto_box_seal',
  'crypto_box_seal_open',
  'crypto_sign_keypair',
  'crypto_sign_detached',
  'crypto_sign_verify_detached',
  'crypto_aead_xchacha20poly1305_ietf_encrypt',
  'crypto_aead_xchacha20poly1305_ietf_decrypt',
  'crypto_secretbox_easy',
  'crypto_secretbox_open_easy',
  'crypto_generichash',
  'crypto_auth',
  'crypto_auth_verify',
  'randombytes_buf',
  'pad',
  'unpad',
  'memcmp',
  'to_base64',
  'to_hex',
  'from_base64',
  'from_string',
  'to_string',
] as const;

let loaded: Promise<Sodium> | undefined;

export function loadSodium(): Promise<Sodium> {
  loaded ??= sodiumModule.ready.then(() => {
    assertSodiumFunctions(sodiumModule);
    return sodiumModule;
  });
  return loaded;
}

export function assertSodiumFunctions(sodium: Sodium, names: readonly string[] = SODIUM_FUNCTIONS_USED): void {
  const record = sodium as unknown as Record<string, unknown>;
  const missing = names.filter((name) => typeof record[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(`libsodium is missing functions Meshwork needs: ${missing.join(', ')} (use libsodium-wrappers-sumo)`);
  }
}
