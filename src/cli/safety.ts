import { DateTime, IANAZone } from 'luxon';
import { Option, type Command } from 'commander';
import { CheckInsApi, type CheckIn, type ScheduleCheckInInput, type TeamAlertSummary } from '../client/checkins';
import { ContactsApi, type TrustedContact } from '../client/contacts';
import { MeshworkApiError, type ApiClient } from '../client/http';
import { TeamNetworkApi } from '../client/team-network';
import { REGIONAL_TIME_ZONES, sameZoneIn, timeZonesInOrder } from '../shared/time-zones';
import { LANGUAGES, type Language } from '../sms/catalogue';
import { table } from './format';
import { readLine, readSecret } from './prompt';

/**
 * Check-ins, the trusted network and alerts. None of it needs the private keys (the server reads
 * these fields, encrypted at rest with its own secret), so only the session token is used; what
 * authorises a check-in or a cancel is the PIN, asked for every time.
 */
export function addSafetyCommands(program: Command, signedInApi: () => ApiClient, teamIdOf: (ref: string) => Promise<string>): void {
  const out = (text = '') => console.log(text);
  const checkIns = () => new CheckInsApi(signedInApi());
  const contacts = () => new ContactsApi(signedInApi());
  const languageOption = () => new Option('--language <code>', 'the language of the SMS texts').choices(LANGUAGES);

  const checkin = program.command('checkin').description('safety check-ins: profile and PINs, schedule, check in, cancel');

  checkin
    .command('profile')
    .description('set the name your contacts know you by, your time zone, SMS language and own phone; the first time, choose the PINs')
    .option('--name <name>', 'the name alerts call you by (need not be your legal name)')
    .option('--time-zone <zone>', 'an IANA time zone, e.g. America/Tegucigalpa (default: this computer’s; meshwork checkin zones lists your region’s)')
    .addOption(languageOption())
    .option('--phone <number>', 'your own mobile, with country code, to check in by SMS')
    .option('--no-phone', 'remove your own phone')
    .option('--new-pins', 'choose new PINs (asks for the current PIN first, as a new name or phone does)')
    .action(async (options: { name?: string; timeZone?: string; language?: Language; phone?: string | false; newPins?: boolean }) => {
      const api = checkIns();
      const existing = await api.getProfile().catch((error: unknown) => {
        if (error instanceof MeshworkApiError && error.status === 404) return null;
        throw error;
      });
      const displayName = options.name ?? existing?.displayName;
      if (!displayName) throw new Error('The first time, say how alerts should call you: --name <name>');
      const pins: { pin?: string; duressPin?: string; currentPin?: string } = {};
      // The service asks the current PIN to change a set name or phone (someone at her unlocked computer could
      // otherwise rename her or move her SMS check-ins); it is read at the prompt, never from argv or history.
      const changingNameOrPhone = Boolean(existing) && ((options.name !== undefined && options.name !== existing?.displayName) || typeof options.phone === 'string' || (options.phone === false && Boolean(existing?.phoneHint)));
      if (existing && (options.newPins || changingNameOrPhone)) pins.currentPin = await readSecret('Current check-in PIN: ');
      if (!existing || options.newPins) {
        pins.pin = await readTwice('Check-in PIN (4 to 12 digits, not shown): ');
        pins.duressPin = await readTwice('Duress PIN (different; it checks in exactly the same, and silently raises an alert): ');
      }
      const saved = await api.setProfile({
        displayName,
        timeZone: options.timeZone ?? existing?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
        language: options.language ?? existing?.language ?? 'en',
        ...(options.phone === false ? { phone: null } : options.phone ? { phone: options.phone } : {}),
        ...pins,
      });
      out(`Saved your check-in profile: ${saved.displayName}, ${saved.timeZone}, SMS in ${saved.language}, own phone ${saved.phoneHint ?? 'none'}.`);
      if (pins.pin) out('PINs set. Use the check-in PIN to check in; under pressure the duress PIN looks exactly the same.');
      printSmsCheckIn(saved);
    });

  checkin
    .command('zones')
    .description('the time zones to give --time-zone: your SMS language’s region first, then this computer’s (--all: then every other)')
    .addOption(new Option('--language <code>', 'whose region (default: your profile’s language, else en)').choices(LANGUAGES))
    .option('--all', 'list every other zone after them')
    .action(async (options: { language?: Language; all?: boolean }) => {
      // Signed out, or no profile yet: the region of English (Southern Africa) rather than a refusal.
      const language = options.language ?? (await Promise.resolve().then(() => checkIns().getProfile()).catch(() => null))?.language ?? 'en';
      const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const zones = timeZonesInOrder(language, own);
      const regional = new Set<string>(REGIONAL_TIME_ZONES[language]);
      const ownListed = sameZoneIn(zones, own);
      const shown = options.all ? zones : zones.slice(0, Math.max(regional.size, ownListed ? zones.indexOf(ownListed) + 1 : 0));
      const offset = (zone: string) => new Intl.DateTimeFormat('en', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts().find((p) => p.type === 'timeZoneName')?.value ?? '';
      const note = (zone: string) => [regional.has(zone) ? `region of ${language}` : '', zone === ownListed ? 'this computer' : ''].filter(Boolean).join(', ');
      out(table(['time zone', 'offset now', ''], shown.map((zone) => [zone, offset(zone), note(zone)])));
    });

  // A number counts for SMS check-in only once its holder typed the code texted to it: otherwise
  // anyone could put a defender's number on their own profile and swallow her SMS check-ins.
  checkin
    .command('verify-phone')
    .description('turn SMS check-in on: type the code texted to your own phone (--resend texts a new one)')
    .option('--resend', 'text a new code first')
    .action(async (options: { resend?: boolean }) => {
      const api = checkIns();
      if (options.resend) {
        await api.requestPhoneCode();
        out('A new code was texted to your phone.');
      }
      printSmsCheckIn(await api.verifyPhone(await readLine('Code texted to your phone: ')));
    });

  const printSmsCheckIn = (profile: { phoneHint?: string | null; smsCheckIn: 'on' | 'off'; phoneCodeSent: boolean }) => {
    if (!profile.phoneHint) return;
    if (profile.smsCheckIn === 'on') out(`SMS check-in is on: text your PIN from ${profile.phoneHint} to check in.`);
    else if (profile.phoneCodeSent) out('SMS check-in is off until you type the code texted to your phone: meshwork checkin verify-phone');
    else out('SMS check-in is off until your phone is verified: meshwork checkin verify-phone --resend');
  };

  checkin
    .command('schedule')
    .description('promise to check in: once (--by), every N hours (--every) or at set times each day (--daily)')
    .option('--by <time>', 'once, by this time: HH:mm (today, or tomorrow if passed), YYYY-MM-DD HH:mm in your time zone, or ISO 8601 with offset')
    .option('--every <hours>', 'every N hours (1 to 168)', (v) => Number.parseInt(v, 10))
    .option('--start <time>', 'with --every: the first time (default: N hours from now)')
    .option('--daily <times>', 'at these times of day, comma-separated, e.g. 08:00,20:00')
    .option('--grace <minutes>', 'minutes after the time before your contacts are alerted', (v) => Number.parseInt(v, 10), 15)
    .option('--message <text>', 'the alert your contacts get (asked for when left out, so it stays out of shell history)')
    .option('--place <text>', 'a last-known place sent with the alert')
    .option('--time-zone <zone>', 'the time zone of the times (default: your profile’s)')
    .action(async (options: { by?: string; every?: number; start?: string; daily?: string; grace: number; message?: string; place?: string; timeZone?: string }) => {
      const api = checkIns();
      const chosen = [options.by, options.every, options.daily].filter((v) => v !== undefined).length;
      if (chosen !== 1) throw new Error('Choose one of --by <time>, --every <hours> or --daily <times>.');
      const zone = options.timeZone ?? (await api.getProfile()).timeZone;
      const now = DateTime.now();
      const schedule: ScheduleCheckInInput['schedule'] = options.by
        ? { kind: 'once', dueAt: parseWhen(options.by, zone, now) }
        : options.every !== undefined
          ? { kind: 'interval', everyHours: options.every, ...(options.start ? { startAt: parseWhen(options.start, zone, now) } : {}) }
          : { kind: 'daily', times: options.daily!.split(',').map((t) => t.trim()).filter(Boolean) };
      const alertMessage = options.message ?? (await readLine('Alert message for your contacts (e.g. "Call my lawyer Ana on +52 55 1234 5678"): '));
      const { checkIn, alertSize } = await api.schedule({ schedule, graceMinutes: options.grace, alertMessage, ...(options.place ? { place: options.place } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
      out(`Scheduled check-in ${checkIn.id} (${describeSchedule(checkIn)}).`);
      out(`Check in by ${when(checkIn.dueAt, checkIn.timeZone)} (${checkIn.timeZone}); your contacts are alerted from ${when(checkIn.deadline, checkIn.timeZone)} if you have not.`);
      out(`The alert takes ${alertSize.segments} SMS segment(s) (${alertSize.encoding}).${alertSize.warning ? ` ${alertSize.warning}` : ''}`);
      await warnIfNobodyIsAlerted(contacts(), out, undefined, checkIn.reach);
    });

  checkin.command('list').description('your pending check-ins').action(async () => {
    const list = await checkIns().list();
    if (list.length === 0) {
      out('No pending check-ins.');
      return;
    }
    out(table(['check-in id', 'schedule', 'check in by', 'alert from', 'time zone', 'state'], list.map((c) => [c.id, describeSchedule(c), when(c.dueAt, c.timeZone), when(c.deadline, c.timeZone), c.timeZone, c.state === 'missed' ? 'MISSED: contacts are being alerted' : c.state])));
    // Every check-in has the same reach (hers, read now).
    await warnIfNobodyIsAlerted(contacts(), out, undefined, list[0]!.reach);
  });

  checkin
    .command('now [checkInId]')
    .description('check in with your PIN (default: your only pending check-in)')
    .action(async (checkInId?: string) => {
      const api = checkIns();
      const target = await api.get(checkInId ?? (await onlyCheckIn(api)));
      // Whichever PIN is typed, the same words follow: whoever watches the screen learns nothing.
      const reply = await api.checkIn(target.id, await readSecret('Check-in PIN: '));
      out(`Checked in at ${when(reply.checkedInAt, target.timeZone)} (${target.timeZone}).`);
      out(reply.nextDueAt ? `Next check-in by ${when(reply.nextDueAt, target.timeZone)}.` : 'That was a one-off check-in; nothing is pending from it now.');
    });

  checkin
    .command('extend [checkInId]')
    .description('need more time: move the deadline later with your PIN (default: your only pending check-in)')
    .requiredOption('--minutes <n>', 'how much longer, 5 to 720 minutes', (value) => Number(value))
    .action(async (checkInId: string | undefined, options: { minutes: number }) => {
      const api = checkIns();
      const target = await api.get(checkInId ?? (await onlyCheckIn(api)));
      // As for a check-in, the duress PIN prints the same words: only the hidden alert differs.
      const reply = await api.extend(target.id, await readSecret('Check-in PIN: '), options.minutes);
      out(`Extended: check in by ${when(reply.dueAt, target.timeZone)} (${target.timeZone}).`);
    });

  checkin
    .command('cancel <checkInId>')
    .description('cancel a check-in with your PIN (an open alert ends with an all-clear to your contacts)')
    .action(async (checkInId: string) => {
      await checkIns().cancel(checkInId, await readSecret('Check-in PIN: '));
      out(`Cancelled check-in ${checkInId}.`);
    });

  const contact = program.command('contact').description('your trusted network: who is texted, tier by tier, if you miss a check-in');

  contact
    .command('add <name>')
    .description('add a trusted contact; they are texted an invitation and get alerts only after replying YES')
    .requiredOption('--tier <n>', 'who is alerted first (1), next (2)...', (v) => Number.parseInt(v, 10))
    .addOption(languageOption().makeOptionMandatory())
    .option('--phone <number>', 'their mobile with country code (asked for when left out, so it stays out of shell history)')
    .action(async (name: string, options: { tier: number; language: Language; phone?: string }) => {
      const phone = options.phone ?? (await readLine(`Mobile number of ${name}, with country code: `));
      const added = await contacts().add({ name, phone, language: options.language, tier: options.tier });
      out(`Added ${added.name} (${added.id}), tier ${added.tier}, SMS in ${added.language}, phone ${added.phoneHint}.`);
      out(`An invitation is queued for ${added.name}; they get alerts only after replying YES.`);
    });

  contact.command('list').description('your trusted network and whether each contact agreed (replied YES)').action(async () => {
    const list = await contacts().list();
    if (list.length === 0) out('No trusted contacts yet: meshwork contact add <name> --tier 1 --language <code>');
    else out(table(['contact id', 'name', 'phone', 'language', 'tier', 'state', 'since'], [...list].sort((a, b) => a.tier - b.tier).map((c) => [c.id, c.name, c.phoneHint, c.language, c.tier, STATE_WORDS[c.state], c.stateChangedAt.slice(0, 16).replace('T', ' ')])));
    await warnIfNobodyIsAlerted(contacts(), out, list, (await checkIns().list())[0]?.reach);
  });

  contact.command('invite <contact>').description('text the invitation again to a contact who has not answered').action(async (ref: string) => {
    const api = contacts();
    const found = await findContact(api, ref);
    await api.reinvite(found.id);
    out(`Invitation queued again for ${found.name}.`);
  });

  contact
    .command('set <contact>')
    .description("change a contact's tier, language or name")
    .option('--tier <n>', 'the new tier', (v) => Number.parseInt(v, 10))
    .addOption(languageOption())
    .option('--name <name>', 'the new name')
    .action(async (ref: string, options: { tier?: number; language?: Language; name?: string }) => {
      const api = contacts();
      const found = await findContact(api, ref);
      const change = { ...(options.tier !== undefined ? { tier: options.tier } : {}), ...(options.language ? { language: options.language } : {}), ...(options.name ? { name: options.name } : {}) };
      if (Object.keys(change).length === 0) throw new Error('Say what to change: --tier, --language or --name.');
      const updated = await api.update(found.id, change);
      out(`${updated.name}: tier ${updated.tier}, SMS in ${updated.language}, ${STATE_WORDS[updated.state]}.`);
    });

  contact.command('remove <contact>').description('remove a contact from your network (no more alerts to them)').action(async (ref: string) => {
    const api = contacts();
    const found = await findContact(api, ref);
    await api.remove(found.id);
    out(`Removed ${found.name}.`);
  });

  // A team's urgent-action network: coordinators keep it (anyone else gets "not found" for the team).
  const network = () => new TeamNetworkApi(signedInApi());
  const teamCommand = program.commands.find((c) => c.name() === 'team') ?? program.command('team');
  const teamNetwork = teamCommand.command('network').description("a team's urgent-action network, kept by its coordinators: sms-name, add, list, invite, remove");

  teamNetwork
    .command('sms-name <team> <name>')
    .description("the name the team's texts use (readable by the server; never the team's real name)")
    .action(async (teamRef: string, name: string) => {
      const saved = await network().setSmsName(await teamIdOf(teamRef), name);
      out(`The team's texts now say "${saved.smsName}".`);
    });

  teamNetwork
    .command('add <team> <name>')
    .description('add a responder (lawyer, journalist, regional coordinator); they are texted an invitation and must reply YES with its code')
    .requiredOption('--role <role>', 'e.g. lawyer, journalist')
    .addOption(languageOption().makeOptionMandatory())
    .option('--phone <number>', 'their mobile with country code (asked for when left out, so it stays out of shell history)')
    .action(async (teamRef: string, name: string, options: { role: string; language: Language; phone?: string }) => {
      const teamId = await teamIdOf(teamRef);
      const phone = options.phone ?? (await readLine(`Mobile number of ${name}, with country code: `));
      const added = await network().add(teamId, { name, phone, language: options.language, role: options.role });
      out(`Added ${added.name} (${added.id}), ${added.role}, SMS in ${added.language}, phone ${added.phoneHint}.`);
      out(`An invitation is queued for ${added.name}; they get the team's alerts only after replying YES.`);
    });

  teamNetwork.command('list <team>').description("the team's SMS name and responders, and whether each agreed").action(async (teamRef: string) => {
    const { smsName, responders } = await network().get(await teamIdOf(teamRef));
    out(`SMS name: ${smsName ?? '(none yet: meshwork team network sms-name <team> <name>)'}`);
    if (responders.length === 0) out('No responders yet: meshwork team network add <team> <name> --role <role> --language <code>');
    else out(table(['responder id', 'name', 'role', 'phone', 'language', 'state', 'since'], responders.map((r) => [r.id, r.name, r.role, r.phoneHint, r.language, STATE_WORDS[r.state], r.stateChangedAt.slice(0, 16).replace('T', ' ')])));
  });

  const findResponder = async (teamId: string, ref: string) => {
    const { responders } = await network().get(teamId);
    const found = responders.find((r) => r.id === ref) ?? responders.filter((r) => r.name.toLowerCase() === ref.toLowerCase())[0];
    if (!found) throw new Error(`No responder "${ref}" in this team's network (meshwork team network list <team>).`);
    return found;
  };

  teamNetwork.command('invite <team> <responder>').description('text the invitation again to a responder who has not answered').action(async (teamRef: string, ref: string) => {
    const teamId = await teamIdOf(teamRef);
    const found = await findResponder(teamId, ref);
    await network().reinvite(teamId, found.id);
    out(`Invitation queued again for ${found.name}.`);
  });

  teamNetwork.command('remove <team> <responder>').description("remove a responder (an alert under way texts them no further tier)").action(async (teamRef: string, ref: string) => {
    const teamId = await teamIdOf(teamRef);
    const found = await findResponder(teamId, ref);
    await network().remove(teamId, found.id);
    out(`Removed ${found.name}.`);
  });

  checkin
    .command('team-network')
    .description("after your own tiers (or at --at-tier), also alert a team's urgent-action network; --off stops it")
    .option('--team <team>', 'a team you are a member of (id, or name: asks for your password)')
    .option('--at-tier <n>', 'together with this tier of yours instead of after your last one', (v) => Number.parseInt(v, 10))
    .option('--off', 'alert only your own contacts')
    .action(async (options: { team?: string; atTier?: number; off?: boolean }) => {
      if (options.off) {
        await network().choose(null);
        return out("Your alerts go to your own contacts only.");
      }
      if (!options.team) {
        const choice = await network().myChoice();
        return out(choice ? `Your alerts also go to the urgent-action network of team ${choice.teamId}, ${choice.atTier ? `with your tier ${choice.atTier}` : 'after your own tiers'}.` : 'Your alerts go to your own contacts only (--team <team> to add a team network).');
      }
      const saved = (await network().choose({ teamId: await teamIdOf(options.team), atTier: options.atTier ?? null }))!;
      out(`Your alerts also go to the urgent-action network of team ${saved.teamId}, ${saved.atTier ? `with your tier ${saved.atTier}` : 'after your own tiers'}.`);
    });

  const alert = program.command('alert').description('alerts opened by missed check-ins, and what happened in each');

  const teamOption = () => new Option('--team <team>', "as a coordinator: the alerts of this team's other members (a team id, or its name, which asks for your password to decrypt names)");
  const state = (a: { state: string; delayed: boolean }) => a.state + (a.delayed ? ' (delayed)' : '');

  alert
    .command('list')
    .description('your alerts, newest first (or, with --team, the alerts of the members of a team you coordinate)')
    .addOption(teamOption())
    .action(async (options: { team?: string }) => {
      const api = checkIns();
      const zone = await profileZone(api);
      if (options.team) {
        const alerts = await api.teamAlerts(await teamIdOf(options.team));
        // Coordinators see duress alerts as such: the member's own screen never does.
        if (alerts.length === 0) return out('No alerts in this team.');
        out(table(['alert id', 'member', 'state', 'duress', 'missed at', 'acknowledged by', 'ended at'], alerts.map((a) => [a.id, a.ownerHandle, state(a), a.duress ? 'DURESS' : '', when(a.missedAt, zone), a.acknowledgedBy ?? '', a.resolvedAt ? when(a.resolvedAt, zone) : ''])));
      } else {
        const alerts = await api.alerts();
        if (alerts.length === 0) return out('No alerts.');
        out(table(['alert id', 'state', 'missed at', 'acknowledged by', 'ended at'], alerts.map((a) => [a.id, state(a), when(a.missedAt, zone), a.acknowledgedBy ?? '', a.resolvedAt ? when(a.resolvedAt, zone) : ''])));
      }
      out(`Times in ${zone}.`);
    });

  alert
    .command('timeline <alertId>')
    .description('what happened in an alert: tiers texted, deliveries, acknowledgement, all-clear')
    .addOption(teamOption())
    .action(async (alertId: string, options: { team?: string }) => {
      const api = checkIns();
      const zone = await profileZone(api);
      const seen = options.team ? await api.teamAlertTimeline(await teamIdOf(options.team), alertId) : await api.timeline(alertId);
      const { alert: found, timeline } = seen;
      const member = options.team ? (seen.alert as TeamAlertSummary) : null;
      const whose = member ? ` (${member.ownerHandle}${member.duress ? ', DURESS' : ''})` : '';
      out(`Alert ${found.id}${whose}: ${found.state}${found.acknowledgedBy ? `, ${found.acknowledgedBy} is acting on it` : ''}. Times in ${zone}.`);
      out(table(['when', 'what', 'tier', 'contact', 'detail'], timeline.map((e) => [when(e.at, zone), e.kind.replace(/_/g, ' '), e.tier ?? '', e.contactName ?? '', e.detail ?? ''])));
    });
}

const STATE_WORDS: Record<TrustedContact['state'], string> = { invited: 'invited, no reply yet', opted_in: 'agreed (YES)', opted_out: 'opted out (STOP)' };

async function readTwice(question: string): Promise<string> {
  const first = await readSecret(question);
  if ((await readSecret('Repeat it: ')) !== first) throw new Error('The two entries differ; nothing was changed.');
  return first;
}

/** A check-in's times, shown in the zone it was scheduled in. */
function when(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

function describeSchedule(c: CheckIn): string {
  if (c.schedule.kind === 'interval') return `every ${c.schedule.everyHours} h`;
  if (c.schedule.kind === 'daily') return `daily ${(c.schedule.times ?? []).join(', ')}`;
  return 'once';
}

/** HH:mm (the next one), a local date and time in `zone`, or ISO 8601 with an offset; answered as ISO 8601 with offset. */
export function parseWhen(text: string, zone: string, now: DateTime): string {
  if (!IANAZone.isValidZone(zone)) throw new Error(`Unknown time zone: ${zone}`);
  const local = now.setZone(zone);
  const clock = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (clock) {
    let at = local.set({ hour: Number(clock[1]), minute: Number(clock[2]), second: 0, millisecond: 0 });
    if (at <= local) at = at.plus({ days: 1 });
    return at.toISO({ suppressMilliseconds: true })!;
  }
  const hasOffset = /(Z|[+-]\d\d:?\d\d)$/i.test(text.trim());
  const parsed = DateTime.fromISO(text.trim().replace(' ', 'T'), hasOffset ? { setZone: true } : { zone });
  if (!parsed.isValid) throw new Error(`Not a time: ${text} (use HH:mm, YYYY-MM-DD HH:mm or ISO 8601)`);
  return parsed.toISO({ suppressMilliseconds: true })!;
}

async function onlyCheckIn(api: CheckInsApi): Promise<string> {
  const list = await api.list();
  if (list.length === 1) return list[0]!.id;
  if (list.length === 0) throw new Error('No pending check-in.');
  // Checking in to one of several by guess could leave another to miss: name it.
  throw new Error(`You have ${list.length} pending check-ins; name one: ${list.map((c) => `meshwork checkin now ${c.id}`).join(' | ')}`);
}

/** A contact by id, or by name when exactly one has it. */
async function findContact(api: ContactsApi, ref: string): Promise<TrustedContact> {
  const list = await api.list();
  const byId = list.find((c) => c.id === ref);
  if (byId) return byId;
  const byName = list.filter((c) => c.name.toLowerCase() === ref.trim().toLowerCase());
  if (byName.length === 1) return byName[0]!;
  throw new Error(byName.length > 1 ? `Several contacts are called ${ref}; use the contact id (meshwork contact list).` : `No contact ${ref} (meshwork contact list).`);
}

async function profileZone(api: CheckInsApi): Promise<string> {
  return (await api.getProfile().catch(() => null))?.timeZone ?? 'UTC';
}

/**
 * A screen must not reassure falsely either way: with nobody opted in (her contacts and her team network's responders
 * alike), a missed check-in alerts no one; with only her team's responders, it does. The server's reach counts both
 * by the escalation's own rule; without a pending check-in there is no reach, and her contacts are all there is to say.
 */
async function warnIfNobodyIsAlerted(api: ContactsApi, out: (text: string) => void, known?: TrustedContact[], reach?: CheckIn['reach']): Promise<void> {
  if (reach) {
    for (const line of reachLines(reach)) out(line);
    return;
  }
  const list = known ?? (await api.list());
  if (!list.some((c) => c.state === 'opted_in')) out('Warning: no contact has replied YES yet, so if you miss a check-in nobody will be alerted.');
}

function reachLines(reach: CheckIn['reach']): string[] {
  const team = reach.teamNetwork;
  const teamName = team?.smsName ?? 'your team';
  const lines: string[] = [];
  if (reach.optedIn === 0) lines.push(`Warning: no contact${team?.status === 'counted' ? ` and no responder of ${teamName}` : ''} has replied YES yet, so if you miss a check-in nobody will be alerted.`);
  if (team?.status === 'not_a_member') lines.push('Warning: you are no longer a member of the team whose urgent-action network you chose: it will not be alerted.');
  else if (team && team.optedIn === 0 && reach.optedIn > 0) lines.push(`Warning: no responder of ${teamName}'s urgent-action network has replied YES yet: it alerts nobody.`);
  else if (team && team.optedIn > 0) lines.push(`+ ${team.optedIn} responder${team.optedIn === 1 ? '' : 's'} of ${teamName} at tier ${team.tier ?? '?'} (the team's urgent-action network).`);
  return lines;
}
