import type { Config } from '../config/schema';
import type { Logger } from '../shared/logger';
import { LogSmsSender } from './log-sender';
import type { SmsSender } from './sms-sender';
import { TwilioSmsSender } from './twilio-sender';

type SmsConfig = Pick<Config, 'SMS_TRANSPORT' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_FROM_NUMBER' | 'TWILIO_MESSAGING_SERVICE_SID' | 'TWILIO_API_BASE_URL' | 'PUBLIC_URL' | 'NODE_ENV'>;

/** twilio when asked or when credentials are set (auto); otherwise the log transport, loudly in production. */
export function createSmsSender(config: SmsConfig, logger: Logger): SmsSender {
  const hasCredentials = Boolean(config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN);
  const useTwilio = config.SMS_TRANSPORT === 'twilio' || (config.SMS_TRANSPORT === 'auto' && hasCredentials);
  if (useTwilio) {
    if (!hasCredentials) throw new Error('SMS_TRANSPORT=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
    return new TwilioSmsSender({
      accountSid: config.TWILIO_ACCOUNT_SID,
      authToken: config.TWILIO_AUTH_TOKEN,
      messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID || undefined,
      fromNumber: config.TWILIO_FROM_NUMBER || undefined,
      publicUrl: config.PUBLIC_URL,
      apiBaseUrl: config.TWILIO_API_BASE_URL,
    });
  }
  if (config.NODE_ENV === 'production') logger.error('SMS_TRANSPORT is log: check-in alerts will NOT be sent. Set the TWILIO_* keys.');
  return new LogSmsSender(logger);
}
