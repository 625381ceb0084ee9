import { randomBytes } from 'node:crypto';
import type { Logger } from '../shared/logger';
import { maskPhone } from '../shared/logger';
import type { OutgoingSms, SentSms, SmsSender } from './sms-sender';

export interface LoggedSms extends OutgoingSms {
  providerSid: string;
}

/**
 * Sends nothing: records each message in memory and logs it with the number masked and the text
 * left out (the logger redacts bodies). The embedded default, so a developer's laptop never texts anyone.
 */
export class LogSmsSender implements SmsSender {
  readonly name = 'log' as const;
  readonly sent: LoggedSms[] = [];

  constructor(private readonly logger: Logger) {}

  async send(sms: OutgoingSms): Promise<SentSms> {
    const providerSid = `LOG${randomBytes(16).toString('hex')}`;
    this.sent.push({ ...sms, providerSid });
    this.logger.info({ event: 'sms_logged', toMasked: maskPhone(sms.to), chars: sms.body.length, providerSid }, 'SMS not sent (log transport)');
    return { providerSid };
  }

  async findAcceptedSince(sms: OutgoingSms): Promise<string | undefined> {
    return this.sent.find((m) => m.outboxId === sms.outboxId)?.providerSid;
  }
}
