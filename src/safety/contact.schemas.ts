import { CONTACT_STATES, singleLine, language, phoneInput } from './check-in.schemas';
import { z, objectId } from '../http/zod';

export { CONTACT_STATES };
export type ContactState = (typeof CONTACT_STATES)[number];

const tier = z.number().int().min(1).max(10);

export const contactReply = z
  .object({
    id: z.string(),
    name: z.string(),
    phoneHint: z.string().openapi({ description: 'The last three digits only: the defender typed the number in, the screen need not repeat it.' }),
    language,
    tier: z.number().int(),
    state: z.enum(CONTACT_STATES),
    stateChangedAt: z.string(),
    createdAt: z.string(),
  })
  .strict();
export const contactList = z.object({ contacts: z.array(contactReply) }).strict();
export const addContactBody = z.object({ name: singleLine(40), phone: phoneInput, language, tier }).strict();
export const updateContactBody = z
  .object({ name: singleLine(40).optional(), language: language.optional(), tier: tier.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one of name, language, tier');
export const contactIdParams = z.object({ contactId: objectId }).strict();

// Reply and input types inferred from the schemas: what the use cases take (z.output), what a client sends (z.input).
export type ContactView = z.infer<typeof contactReply>;
export type AddContactInput = z.output<typeof addContactBody>;
export type AddContactBody = z.input<typeof addContactBody>;
export type UpdateContactInput = z.output<typeof updateContactBody>;
export type UpdateContactBody = z.input<typeof updateContactBody>;
