import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, maskPhonesIn } from './logger';

describe('Log redaction of phone numbers', () => {
  it('masks a number quoted in an error message or stack, keeping short numbers such as error codes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.error({ err: new Error("Twilio answered 400 (21211): The 'To' number +447541420000 is not a valid phone number.") }, 'send failed');
    const line = lines.join('');
    assert.doesNotMatch(line, /7541420000/);
    assert.match(line, /\+44\*+000/);
    assert.match(line, /21211/);
  });

  it('masks numbers written with spaces or dashes, and leaves other text alone', () => {
    assert.equal(maskPhonesIn('call +52 55 1234 5678 now'), `call +52${'*'.repeat(10)}678 now`);
    assert.equal(maskPhonesIn('error 30003 at 12:00'), 'error 30003 at 12:00');
    assert.equal(maskPhonesIn('Twilio answered 400 (21211)'), 'Twilio answered 400 (21211)');
    assert.equal(maskPhonesIn('to 447541420000'), `to 447${'*'.repeat(6)}000`);
  });
});
