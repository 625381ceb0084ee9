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
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** +447700900123 -> +44******123: enough to tell contacts apart in a log, not enough to call them. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return '***';
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 6)}${phone.slice(-3)}`;
}
