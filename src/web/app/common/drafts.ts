import { useEffect, useRef } from 'preact/hooks';
import type { UnlockedAccount } from '../../../client';

/**
 * Unsaved work in the open editor (risk map, security plan, incident) must not be lost to a lock, nor
 * silently dropped by a tab change or Back.
 *
 * - Leaving an edited screen asks first (`confirmLeave`), in a page dialog that carries Exit: a
 *   `window.confirm` would block the page and with it quick exit.
 * - When the keys are locked (auto-lock, the Lock button) or the page is closed, the draft is sealed to
 *   the account's own public key (crypto_box_seal) and kept in localStorage. Sealing needs only the
 *   public key; opening it needs the private key, which the lock wipes from memory. So what the phone
 *   keeps is ciphertext that nobody holding the phone without the password can read, not even the
 *   time or the team it belongs to (all of that is inside the seal).
 * - After unlocking, a draft that opens with the account's keys is offered back (restore / discard).
 * - Quick exit and "sign out on this device" erase every sealed draft.
 */
export type DraftKind = 'risk-map' | 'security-plan' | 'incident';

export interface Draft {
  kind: DraftKind;
  teamId: string;
  /** the document being edited, or null for a new one (always null for an incident) */
  documentId: string | null;
  /** the version the edit started from, so a save after restoring still detects a conflict */
  baseVersion: number | null;
  /** what the person sees as the draft's name */
  title: string;
  /** the editor's own state: a risk map, a plan draft, an incident form */
  content: unknown;
  /** ISO time the draft was kept */
  keptAt: string;
}

export interface OpenEditor {
  dirty(): boolean;
  /** the draft as it is now, keptAt filled in by the caller */
  draft(): Omit<Draft, 'keptAt'>;
}

/** An opaque name: the storage key itself should not spell the app's purpose. */
export const DRAFTS_STORAGE_KEY = 'mw.sealed';
const MAX_KEPT = 5;

let editor: OpenEditor | null = null;

/** The editor on screen registers itself; the returned function unregisters it (on unmount). */
export function registerEditor(open: OpenEditor): () => void {
  editor = open;
  return () => {
    if (editor === open) editor = null;
  };
}

/** An editor's hook: registers while mounted, always reading the latest state through a ref. */
export function useOpenEditor(dirty: boolean, draft: () => Omit<Draft, 'keptAt'>): void {
  const latest = useRef({ dirty, draft });
  latest.current = { dirty, draft };
  useEffect(() => registerEditor({ dirty: () => latest.current.dirty, draft: () => latest.current.draft() }), []);
}

export function hasUnsavedWork(): boolean {
  return editor?.dirty() ?? false;
}

/* ---------- asking before leaving ---------- */

type LeaveListener = (request: { resolve(leave: boolean): void } | null) => void;
let leaveListener: LeaveListener | null = null;

/** The app shell shows the question; only one shell listens. */
export function onLeaveRequest(listener: LeaveListener): () => void {
  leaveListener = listener;
  return () => {
    if (leaveListener === listener) leaveListener = null;
  };
}

/** Resolves true when nothing is unsaved or the person chose to discard it; false to keep editing. */
export function confirmLeave(): Promise<boolean> {
  if (!hasUnsavedWork() || !leaveListener) return Promise.resolve(true);
  const listener = leaveListener;
  return new Promise((resolve) => {
    listener({
      resolve: (leave) => {
        listener(null);
        // Discarding means it: the editor is about to go, and must not be sealed on the way out.
        if (leave) editor = null;
        resolve(leave);
      },
    });
  });
}

/** Runs `leave` unless the person chooses to keep editing. */
export function leaveIfConfirmed(leave: () => void): void {
  void confirmLeave().then((yes) => {
    if (yes) leave();
  });
}

/* ---------- sealing on lock, offering back after unlock ---------- */

function readSealed(): string[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(DRAFTS_STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
  } catch {
    return [];
  }
}

function writeSealed(items: string[]): void {
  try {
    if (items.length) window.localStorage.setItem(DRAFTS_STORAGE_KEY, JSON.stringify(items.slice(-MAX_KEPT)));
    else window.localStorage.removeItem(DRAFTS_STORAGE_KEY);
  } catch {
    // storage full or disabled: the draft cannot be kept, and nothing else is harmed
  }
}

/** Seals the open editor's unsaved draft to the account; called just before the keys are wiped. */
export function sealOpenDraft(account: UnlockedAccount, now: Date = new Date()): boolean {
  const open = editor;
  if (!open?.dirty()) return false;
  const draft: Draft = { ...open.draft(), keptAt: now.toISOString() };
  const { sodium } = account;
  const sealed = sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(JSON.stringify(draft)), account.keys.box.publicKey));
  writeSealed([...readSealed(), sealed]);
  return true;
}

/** The newest draft this account can open, with its stored form (to discard or consume it). */
export function keptDraftFor(account: UnlockedAccount): { draft: Draft; sealed: string } | null {
  const { sodium } = account;
  const sealed = readSealed();
  for (let i = sealed.length - 1; i >= 0; i -= 1) {
    const item = sealed[i]!;
    try {
      const opened = sodium.crypto_box_seal_open(sodium.from_base64(item), account.keys.box.publicKey, account.keys.box.privateKey);
      const draft = JSON.parse(sodium.to_string(opened)) as Draft;
      if (draft && typeof draft.kind === 'string' && typeof draft.teamId === 'string') return { draft, sealed: item };
    } catch {
      // another account's draft on this phone, or damaged: not ours to open
    }
  }
  return null;
}

export function forgetKeptDraft(sealed: string): void {
  writeSealed(readSealed().filter((item) => item !== sealed));
}

/** Quick exit and "sign out on this device": no draft survives, sealed or open. */
export function eraseDrafts(): void {
  editor = null;
  restoring = null;
  try {
    window.localStorage.removeItem(DRAFTS_STORAGE_KEY);
  } catch {
    // storage disabled: nothing was kept
  }
}

/* ---------- handing a restored draft to the screen that edits it ---------- */

let restoring: Draft | null = null;

export function startRestoring(draft: Draft): void {
  restoring = draft;
}

/** The pending restore, if it is for this team (and this kind when given); taken once. */
export function takeRestoring(teamId?: string, kinds?: DraftKind[]): Draft | null {
  const draft = restoring;
  if (!draft || (teamId !== undefined && draft.teamId !== teamId) || (kinds && !kinds.includes(draft.kind))) return null;
  restoring = null;
  return draft;
}

export function peekRestoring(): Draft | null {
  return restoring;
}
