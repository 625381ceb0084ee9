import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { base64urlDecodedLength, isCanonicalBase64url } from '../shared/base64url';

// Done once, here, so every schema in the service can carry OpenAPI metadata.
extendZodWithOpenApi(z);

export { z };

/**
 * Binary data on the wire: base64url without padding (libsodium's default variant), checked strictly
 * (alphabet, a length libsodium accepts, zero unused bits) and by decoded size, so no domain code ever
 * meets a string its decoder throws on.
 */
export function base64Bytes(options: { exact?: number; max?: number; description?: string } = {}) {
  const maxChars = options.max !== undefined ? Math.ceil((options.max * 4) / 3) : undefined;
  let schema = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');
  if (maxChars !== undefined) schema = schema.max(maxChars, `must encode at most ${options.max} bytes`);
  const refined = schema
    .refine(isCanonicalBase64url, 'must be canonical base64url (no padding, no stray trailing bits)')
    .refine((value) => options.exact === undefined || base64urlDecodedLength(value) === options.exact, `must encode exactly ${options.exact} bytes`)
    .refine((value) => options.max === undefined || base64urlDecodedLength(value) <= options.max, `must encode at most ${options.max} bytes`);
  return refined.openapi({ type: 'string', format: 'base64url', description: options.description });
}

export { objectId } from '../shared/ids';

/**
 * An integer in a path or query string: decimal digits only. z.coerce.number() would read "0x10" as 16,
 * "1e3" as 1000 and " 5" as 5, so two spellings reach one value and filters or caches keyed on the raw
 * text disagree with what the handler did.
 */
export function decimalInt(options: { min: number; max?: number }) {
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  return z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a whole number in decimal digits')
    .transform(Number)
    .pipe(z.number().int().min(options.min).max(max))
    .openapi({ type: 'integer', minimum: options.min, maximum: max });
}
