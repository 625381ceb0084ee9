import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Done once, here, so every schema in the service can carry OpenAPI metadata.
extendZodWithOpenApi(z);

export { z };

/** Binary data on the wire: base64url without padding (libsodium's default variant). */
export function base64Bytes(options: { exact?: number; max?: number; description?: string } = {}) {
  const maxChars = options.max !== undefined ? Math.ceil((options.max * 4) / 3) : undefined;
  let schema = z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding');
  if (maxChars !== undefined) schema = schema.max(maxChars, `must encode at most ${options.max} bytes`);
  const refined = schema.refine(
    (value) => options.exact === undefined || Buffer.from(value, 'base64url').length === options.exact,
    `must encode exactly ${options.exact} bytes`,
  );
  return refined.openapi({ type: 'string', format: 'base64url', description: options.description });
}

export const objectId = z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character hex id');
