// The expiry choices the share dialog offers, as the `expiresInSeconds` the API takes.
const DAY_SECONDS = 24 * 60 * 60;

export const EXPIRY_CHOICES = ['1d', '7d', '30d', 'never'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

const DAYS: Record<Exclude<ExpiryChoice, 'never'>, number> = { '1d': 1, '7d': 7, '30d': 30 };

/** Seconds until the link expires; undefined (the field left out) for a link that never does. */
export const expiresInSeconds = (choice: ExpiryChoice): number | undefined =>
  choice === 'never' ? undefined : DAYS[choice] * DAY_SECONDS;

/** A download limit typed by the user: a whole number ≥ 1, or undefined for "no limit". */
export function parseDownloadLimit(text: string): number | undefined | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (!/^\d+$/.test(trimmed) || Number(trimmed) < 1) return 'invalid';
  return Number(trimmed);
}
