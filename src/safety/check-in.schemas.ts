import { IANAZone } from 'luxon';
import { z, objectId } from '../http/zod';
import { LANGUAGES } from '../sms/catalogue';

// One line, no control characters: these go into SMS and must not smuggle line breaks or escapes.
export const singleLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}\p{Cf}\u2028\u2029]*$/u, 'must be one line of plain text');
export const messageText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    // Line breaks are allowed in a message; other control and format characters are not.
    .refine((text) => !/[\p{Cf}]/u.test(text) && [...text].every((c) => c === '\n' || !/\p{Cc}/u.test(c)), 'must be plain text');

export const timeZone = z.string().max(64).refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as America/Mexico_City');
export const pin = z.string().regex(/^\d{4,12}$/, 'must be 4 to 12 digits');
export const language = z.enum(LANGUAGES);
export const phoneInput = z.string().min(4).max(32).regex(/^[+0-9 ().-]+$/, 'must be a phone number with its country code, e.g. +52 55 1234 5678');

export const profileBody = z
  .object({
    displayName: singleLine(40).openapi({ description: 'The name alerts call you by; it need not be your legal name.' }),
    timeZone,
    language,
    phone: phoneInput.nullable().optional().openapi({ description: 'Your own phone, to check in by SMS; null removes it.' }),
    pin: pin.optional(),
    duressPin: pin.optional(),
    currentPin: pin.optional().openapi({
      description:
        'Once a profile exists, the current check-in PIN is needed to change the PINs, the display name or the phone (400 current_pin_required without it; 403 wrong_pin for a wrong or the duress PIN, and nothing changes). Language and time zone change without it; the first set-up needs none.',
    }),
  })
  .strict();

export const profileReply = z
  .object({
    displayName: z.string(),
    timeZone: z.string(),
    language,
    phoneHint: z.string().nullable(),
    phoneVerified: z.boolean().openapi({ description: 'The code texted to the phone was entered.' }),
    smsCheckIn: z.enum(['on', 'off']).openapi({ description: 'An SMS with the PIN checks in only when on: a phone must be verified first.' }),
    phoneCodeSent: z.boolean().openapi({ description: 'A verification code was texted to the phone and can be entered.' }),
    updatedAt: z.string(),
  })
  .strict();

export const phoneCodeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be the 6 digits texted to you') }).strict();

const isoDateTime = z.iso.datetime({ offset: true });
const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:mm');

export const scheduleInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('once'), dueAt: isoDateTime }).strict(),
  z.object({ kind: z.literal('interval'), everyHours: z.number().int().min(1).max(168), startAt: isoDateTime.optional() }).strict(),
  z
    .object({ kind: z.literal('daily'), times: z.array(localTime).min(1).max(12).refine((t) => new Set(t).size === t.length, 'times must differ') })
    .strict(),
]);

export const scheduleCheckInBody = z
  .object({
    schedule: scheduleInput,
    graceMinutes: z.number().int().min(0).max(1440),
    alertMessage: messageText(480).openapi({ description: 'Sent to your contacts if you do not check in; counted in SMS segments, never cut.' }),
    place: singleLine(160).optional(),
    timeZone: timeZone.optional(),
  })
  .strict();

export const scheduleView = z
  .object({ kind: z.enum(['once', 'interval', 'daily']), everyHours: z.number().int().optional(), times: z.array(z.string()).optional() })
  .strict();

const teamNetworkStatus = z.enum(['counted', 'not_a_member']).openapi({
  description: "counted: she is a member of the team she chose, so its opted-in responders are alerted; not_a_member: she left that team (or it was dissolved), so it alerts nobody and nothing else of it is shown.",
});

/** What a member may know of her team network's part in her reach: counts only (see alert-reach.ts for why). */
const teamNetworkReach = z
  .object({
    status: teamNetworkStatus,
    smsName: z.string().nullable().openapi({ description: "The name the team's texts use; null when not counted (or not chosen by its coordinators yet)." }),
    tier: z.number().int().nullable().openapi({ description: 'The tier at which its responders are texted (after her own last tier unless she chose one); null when not counted.' }),
    optedIn: z.number().int().openapi({ description: 'Responders who replied YES to this team and would be texted.' }),
    waitingForYes: z.number().int().openapi({ description: 'Responders invited who have not replied YES yet (a count: their names are for the coordinators).' }),
  })
  .strict();

export const alertReach = z
  .object({
    optedIn: z.number().int().openapi({ description: "Everyone who replied YES and would be texted if this check-in were missed now: her contacts plus, when counted, her team network's responders; 0 means nobody would be alerted." }),
    tiers: z.array(z.number().int()).openapi({ description: "The tiers that would be texted, in order, the team network's among them." }),
    waitingForYes: z.array(z.string()).openapi({ description: 'Names of her contacts invited who have not replied YES yet.' }),
    teamNetwork: teamNetworkReach.nullable().openapi({ description: "Her team network's part; null when she has not chosen one." }),
  })
  .strict()
  .openapi({ description: 'Derived from the contacts and the team network on every read, never stored.' });

export const checkInView = z
  .object({
    id: z.string(),
    schedule: scheduleView,
    timeZone: z.string(),
    graceMinutes: z.number().int(),
    state: z.enum(['scheduled', 'due', 'missed']),
    dueAt: z.string(),
    deadline: z.string(),
    alertMessage: z.string(),
    place: z.string().nullable(),
    alertId: z.string().nullable(),
    lastCheckedInAt: z.string().nullable(),
    createdAt: z.string(),
    reach: alertReach,
  })
  .strict();

export const scheduledReply = z
  .object({
    checkIn: checkInView,
    alertSize: z.object({ segments: z.number().int(), encoding: z.enum(['GSM-7', 'UCS-2']), warning: z.string().nullable() }).strict(),
  })
  .strict();

/** A contact's or responder's answer to the invitation: invited (no answer yet), opted in (YES), opted out (STOP, LEAVE). */
export const CONTACT_STATES = ['invited', 'opted_in', 'opted_out'] as const;

const segmentsAndEncoding = { segments: z.number().int(), encoding: z.enum(['GSM-7', 'UCS-2']) };

export const alertPreview = z
  .object({
    dueAt: z.string(),
    nobodyWillBeAlerted: z.boolean().openapi({ description: 'True only when neither her contacts nor her team network has anyone who replied YES.' }),
    recipients: z.array(
      z
        .object({
          contactId: z.string(),
          name: z.string(),
          tier: z.number().int(),
          order: z.number().int().nullable().openapi({ description: '1 for the first tier texted; null when this contact will not be texted (no YES yet, or STOP).' }),
          state: z.enum(CONTACT_STATES),
          language,
          text: z.string().openapi({ description: 'The exact SMS this contact would receive if the first occurrence were missed.' }),
          ...segmentsAndEncoding,
        })
        .strict(),
    ),
    teamNetwork: teamNetworkReach
      .extend({
        order: z.number().int().nullable().openapi({ description: "The team network's place in the escalation (1 for the first tier texted, shared with her contacts of the same tier); null when nobody in it would be texted." }),
        responders: z.array(
          z
            .object({
              role: z.string().openapi({ description: 'e.g. lawyer, journalist: chosen by the coordinators.' }),
              name: z.string().optional().openapi({ description: "Only for the team's coordinators, who see the roster anyway; never for a plain member." }),
              order: z.number().int().nullable().openapi({ description: "The team network's order when this responder replied YES; null when not texted (no YES yet, or left)." }),
              state: z.enum(CONTACT_STATES),
              language,
              text: z.string().openapi({ description: 'The SMS this responder would receive at the team tier (the reply code shown is a sample unless you coordinate the team).' }),
              ...segmentsAndEncoding,
            })
            .strict(),
        ),
      })
      .strict()
      .nullable()
      .openapi({ description: "Her team network's part in the escalation; null when she has not chosen one. Empty of responders when not counted." }),
  })
  .strict();

export const checkInList = z.object({ checkIns: z.array(checkInView) }).strict();
export const pinBody = z.object({ pin }).strict();
export const extendBody = z
  .object({ pin, minutes: z.number().int().min(5).max(720).openapi({ description: 'How much longer: the new due time is this long after the current one (or after now, when already due).' }) })
  .strict();
export const extendedReply = z.object({ checkInId: z.string(), dueAt: z.string(), deadline: z.string() }).strict();
// What a check-in (or cancel) answers: the same fields whichever PIN was used.
export const checkedInReply = z
  .object({ checkInId: z.string(), checkedInAt: z.string(), nextDueAt: z.string().nullable().openapi({ description: 'The next occurrence, or null when the check-in was a one-off (or was cancelled).' }) })
  .strict();
export const checkInIdParams = z.object({ checkInId: objectId }).strict();

// The reply types, inferred from the schemas that validate and document them (server views and the client share these).
export type ProfileView = z.infer<typeof profileReply>;
export type CheckInView = z.infer<typeof checkInView>;
export type AlertReach = z.infer<typeof alertReach>;
export type AlertPreview = z.infer<typeof alertPreview>;
export type ScheduledReply = z.infer<typeof scheduledReply>;
export type CheckedInReply = z.infer<typeof checkedInReply>;
export type ExtendedReply = z.infer<typeof extendedReply>;

export const teamNetworkChoice = z
  .object({
    teamId: objectId.meta({ description: 'A team I am a member of (404 otherwise, as for a team that does not exist).' }),
    atTier: z.number().int().min(1).max(10).nullable().openapi({ description: "null: right after my own last tier; n: together with my tier n (or on its own at n when I have no tier n)." }),
  })
  .strict()
  .nullable()
  .openapi({ description: "After my own tiers (or at a given tier), alert my team's urgent-action network; null: do not." });
export const teamNetworkBody = z.object({ teamNetwork: teamNetworkChoice }).strict();

// The input types too: what a use case receives once the body is validated (z.output), and what a client
// may send (z.input). One schema, so a field changed here reaches server, client, CLI and web app at once.
export type ProfileInput = z.output<typeof profileBody>;
export type ProfileBody = z.input<typeof profileBody>;
export type ScheduleCheckInInput = z.output<typeof scheduleCheckInBody>;
export type ScheduleCheckInBody = z.input<typeof scheduleCheckInBody>;
