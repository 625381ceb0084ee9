import { defineRoute, type AnyRoute, signedIn } from '../http/route';
import type { VaultDeps } from './deps';
import * as s from './document.schemas';
import { getDocument } from './get-document';
import { getDocumentVersion, listDocumentVersions } from './list-document-versions';
import { listDocuments } from './list-documents';
import { putDocument } from './put-document';

const me = signedIn;
const tag = 'vault';

export function vaultRoutes(deps: VaultDeps): AnyRoute[] {
  const maxBytes = deps.config.VAULT_MAX_DOCUMENT_BYTES;
  // base64 grows 4/3; the rest of the body is under 1 KiB. A bigger body is refused by the parser with 413.
  const bodyLimitBytes = Math.ceil((maxBytes * 4) / 3) + 4096;
  return [
    defineRoute({
      method: 'put', path: '/v1/teams/:teamId/documents/:documentId', summary: 'Write a new version of an encrypted document (create with baseVersion 0)', tag, auth: 'bearer',
      params: s.documentParams, body: s.putDocumentBody(maxBytes), bodyLimitBytes,
      responses: {
        201: { description: 'Written', schema: s.putReply },
        409: { description: 'version_conflict, stale_key_generation, stale_log_head, key_rotation_needed, broken_version_chain' },
        413: { description: 'payload_too_large' },
      },
      errors: ['version_conflict', 'stale_key_generation', 'stale_log_head', 'key_rotation_needed', 'kind_mismatch', 'invalid_signature', 'broken_version_chain'],
      handle: async ({ params, body }, ctx) => ({ status: 201, body: await putDocument(deps, me(ctx), params.teamId, params.documentId, body) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/documents', summary: "The team's current documents, newest first (kind=incident: the incident log)", tag, auth: 'bearer',
      params: s.teamParams, query: s.listDocumentsQuery,
      responses: { 200: { description: 'Documents', schema: s.documentList } },
      handle: async ({ params, query }, ctx) => ({ status: 200, body: await listDocuments(me(ctx), params.teamId, query) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/documents/:documentId', summary: 'The current version of an encrypted document', tag, auth: 'bearer',
      params: s.documentParams,
      responses: { 200: { description: 'Document', schema: s.documentView } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getDocument(me(ctx), params.teamId, params.documentId) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/documents/:documentId/versions', summary: 'Every kept version, newest first', tag, auth: 'bearer',
      params: s.documentParams, query: s.historyQuery,
      responses: { 200: { description: 'Versions', schema: s.documentList } },
      handle: async ({ params, query }, ctx) => ({ status: 200, body: await listDocumentVersions(me(ctx), params.teamId, params.documentId, query) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/teams/:teamId/documents/:documentId/versions/:version', summary: 'One version (to read or restore it)', tag, auth: 'bearer',
      params: s.versionParams,
      responses: { 200: { description: 'Version', schema: s.documentView } },
      handle: async ({ params }, ctx) => ({ status: 200, body: await getDocumentVersion(me(ctx), params.teamId, params.documentId, params.version) }),
    }),
  ];
}
