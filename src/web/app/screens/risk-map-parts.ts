import type { RiskMap } from '../../../client';
import type { MessageKey } from '../../i18n/i18n';

/** A short random id for a new actor, threat, vulnerability or capacity of a map. */
export const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0')).join('');
export const today = () => new Date().toISOString().slice(0, 10);

export const LEVELS = [1, 2, 3, 4, 5];

export type Update = (patch: Partial<RiskMap>) => void;

/** Severity of a vulnerability and strength of a capacity share one 1-3 scale; they weigh in the risk formula. */
export const WEIGHTS = [1, 2, 3] as const;
export const WEIGHT_KEY: Record<(typeof WEIGHTS)[number], MessageKey> = { 1: 'items.weight1', 2: 'items.weight2', 3: 'items.weight3' };
