import { SegmentedMessage } from 'sms-segments-calculator';

/**
 * SMS segment counting, by Twilio's own calculator (npm sms-segments-calculator). A text that fits
 * the GSM 03.38 alphabet (with its extension table, whose characters cost two septets) goes as GSM-7:
 * 160 septets in one segment, 153 per segment when concatenated. Anything else goes as UCS-2: 70
 * UTF-16 code units, 67 per segment when concatenated. One character outside GSM-7 (an á, an emoji,
 * a curly quote, any Khmer or Burmese letter) switches the whole text to UCS-2.
 *
 * Why not our own arithmetic (ceil(units / 153)): an extension character's two septets, a surrogate
 * pair and a grapheme cluster are never split across two segments, so a text near a boundary takes
 * one segment more than the division says (test/sms-catalogue.test.ts shows both cases).
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentCount {
  encoding: SmsEncoding;
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  units: number;
  segments: number;
}

export function countSegments(text: string): SegmentCount {
  const message = new SegmentedMessage(text);
  const encoding = message.encodingName as SmsEncoding;
  return { encoding, units: encoding === 'GSM-7' ? message.numberOfCharacters : text.length, segments: message.segmentsCount };
}
