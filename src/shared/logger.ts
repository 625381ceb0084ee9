import pino, { type Logger } from 'pino';

export type { Logger };

/** Fields that must never reach a log line: credentials, keys, ciphertext, PINs, phone numbers, message texts. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.authKey',
  '*.recoveryAuthKey',
  '*.newAuthKey',
  '*.currentAuthKey',
  '*.token',
  '*.ciphertext',
  '*.pin',
  '*.duressPin',
  '*.phone',
  '*.to',
  '*.from',
  '*.body',
  '*.alertMessage',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'meshwork' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // A provider's or driver's error text can quote a phone number ("The 'To' number +44... is not valid").
      serializers: { err: (error: Error) => maskErrorText(pino.stdSerializers.err(error)) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/**
 * Masks what may be a phone number in a free text: a run of digits and the usual separators holding
 * 7 or more digits after a +, or 9 or more without (so "400 (21211)" and times stay readable).
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/\+?\d[\d ().-]{5,}\d/g, (run) => (run.replace(/\D/g, '').length >= (run.startsWith('+') ? 7 : 9) ? maskPhone(run) : run));
}

function maskErrorText<T extends { message?: string; stack?: string }>(serialized: T): T {
  if (typeof serialized.message === 'string') serialized.message = maskPhonesIn(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = maskPhonesIn(serialized.stack);
  return serialized;
}

/** +447700900123 -> +44******123: enough to tell contacts apart in a log, not enough to call them. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '***';
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}
