/**
 * What the notifier tells whom (docs/notifications.md). Everything but the
 * reminder is transactional: it reports a change the guest or vendor must
 * know of, so a guest's opt-out does not silence it.
 */
export const GUEST_MESSAGE_KINDS = [
  'confirmation',
  'modification',
  'extension',
  'cancellation',
  'expiry',
  'no-show',
  'reminder',
] as const;
export type GuestMessageKind = (typeof GUEST_MESSAGE_KINDS)[number];
export type MessageKind = GuestMessageKind | 'vendor-request';

export const isTransactional = (kind: MessageKind): boolean => kind !== 'reminder';

/** Languages with templates; anything else falls back to English. */
export const LANGUAGES = ['en', 'he'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Messages whose email carries a calendar invite (REQUEST), or its cancellation (CANCEL). */
export const inviteMethodOf = (kind: MessageKind): 'REQUEST' | 'CANCEL' | undefined => {
  switch (kind) {
    case 'confirmation':
    case 'modification':
    case 'extension':
      return 'REQUEST';
    case 'cancellation':
      return 'CANCEL';
    case 'expiry':
    case 'no-show':
    case 'reminder':
    case 'vendor-request':
      return undefined;
    default: {
      const _never: never = kind;
      return _never;
    }
  }
};
