import { z, base64Bytes, decimalInt, objectId } from '../http/zod';
import { isCanonicalBase64url } from '../shared/base64url';

export const documentKindSchema = z.enum(['risk-map', 'security-plan', 'incident']);
export type DocumentKind = z.infer<typeof documentKindSchema>;

export function putDocumentBody(maxCiphertextBytes: number) {
  return z
    .object({
      kind: documentKindSchema,
      baseVersion: z.number().int().min(0).openapi({ description: 'The version this write replaces (0 to create); a stale one gets 409' }),
      generation: z.number().int().min(1).openapi({ description: 'The team key generation it is encrypted under; must be the current one' }),
      previousVersionHash: base64Bytes({ exact: 32, description: 'BLAKE2b-256 of the version it replaces (zeros for version 1)' }),
      logSeq: z.number().int().min(1).openapi({ description: "The seq of the team log's head entry the writer verified; must be the current head (409 stale_log_head otherwise)" }),
      logHash: base64Bytes({ exact: 32, description: 'BLAKE2b-256 of that head entry, as the team log records it' }),
      nonce: base64Bytes({ exact: 24 }),
      // The size limit itself is checked in the use case so an oversized document gets 413, not 400.
      ciphertext: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be base64url without padding').refine(isCanonicalBase64url, 'must be canonical base64url').openapi({ format: 'base64url', description: `XChaCha20-Poly1305 ciphertext of the padded plaintext, at most ${maxCiphertextBytes} bytes` }),
      signature: base64Bytes({ exact: 64, description: "The author's Ed25519 signature over the additional data's hash, the nonce and the ciphertext" }),
    })
    .strict();
}
export type PutDocumentInput = z.infer<ReturnType<typeof putDocumentBody>>;

export const documentParams = z.object({ teamId: objectId, documentId: objectId }).strict();
export const versionParams = z.object({ teamId: objectId, documentId: objectId, version: decimalInt({ min: 1 }) }).strict();
export const teamParams = z.object({ teamId: objectId }).strict();

export const listDocumentsQuery = z
  .object({
    kind: documentKindSchema.optional(),
    limit: decimalInt({ min: 1, max: 100 }).default(50),
    before: z.iso.datetime().optional().openapi({ description: 'Only documents created before this time (paging, newest first)' }),
  })
  .strict();

export const historyQuery = z
  .object({
    limit: decimalInt({ min: 1, max: 100 }).default(50),
    beforeVersion: decimalInt({ min: 2 }).optional(),
  })
  .strict();

export const documentView = z
  .object({
    documentId: objectId,
    kind: documentKindSchema,
    version: z.number().int(),
    generation: z.number().int(),
    authorAccountId: objectId,
    previousVersionHash: z.string(),
    logSeq: z.number().int(),
    logHash: z.string(),
    nonce: z.string(),
    ciphertext: z.string(),
    signature: z.string(),
    size: z.number().int(),
    createdAt: z.string().optional().openapi({ description: 'When the document (version 1) was created; on current documents only' }),
    writtenAt: z.string().openapi({ description: 'When this version was written' }),
  })
  .strict()
  .openapi('EncryptedDocument');
export type DocumentView = z.infer<typeof documentView>;

export const documentList = z.object({ documents: z.array(documentView) }).strict();
export const putReply = z.object({ documentId: objectId, version: z.number().int(), writtenAt: z.string() }).strict();
