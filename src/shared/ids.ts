import { z } from 'zod';

/**
 * The one spelling of a database id on the wire: 24 lower-case hex digits (a MongoDB ObjectId, or a team id
 * the server minted in that shape). Plain zod, no Node APIs: the client library and the browser import it.
 */
const OBJECT_ID = /^[a-f0-9]{24}$/;

export const isObjectId = (text: string): boolean => OBJECT_ID.test(text);

// Plain zod (created before the OpenAPI extension may have run): describe it with `.meta()`, which the
// OpenAPI generator reads too, not `.openapi()`.
export const objectId = z.string().regex(OBJECT_ID, 'must be a 24-character hex id');

/** The `:teamId` path parameter of every team route (teams, the vault, team alerts, the team network). */
export const teamIdParams = z.object({ teamId: objectId }).strict();
