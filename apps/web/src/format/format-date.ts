// Friendly timestamps: "just now", "5 minutes ago", "Today 14:03", "Yesterday 09:12", "Mar 5",
// "Mar 5, 2024" — relative while that is easier to read, a date once it is not.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const startOfDay = (date: Date) =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1);

export function formatDate(
  iso: string,
  options: { locale: string; justNow: string; now?: Date },
): string {
  const { locale, justNow, now = new Date() } = options;
  const date = new Date(iso);
  const ago = now.getTime() - date.getTime();
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });

  if (ago >= 0 && ago < MINUTE) return justNow;
  if (ago >= 0 && ago < HOUR) return relative.format(-Math.floor(ago / MINUTE), 'minute');

  const days = Math.round((startOfDay(now) - startOfDay(date)) / (24 * HOUR));
  if (days === 0 || days === 1) {
    const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    return `${capitalize(relative.format(-days, 'day'))} ${time}`;
  }
  const sameYear = date.getFullYear() === now.getFullYear();
  return date.toLocaleDateString(locale, {
    month: 'short',
    day: 'numeric',
    year: sameYear ? undefined : 'numeric',
  });
}

/** The full date and time, for a tooltip. */
export const formatFullDate = (iso: string, locale: string) =>
  new Date(iso).toLocaleString(locale, { dateStyle: 'long', timeStyle: 'short' });
