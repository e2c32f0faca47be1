// Time left, coarse as transfer dialogs show it: "45 s", "3 min 5 s", "1 h 12 min" (English) or
// "45 秒", "3 分 5 秒", "1 小时 12 分" (Chinese). Two units at most; seconds once past an hour
// are noise.
const UNITS = {
  en: { h: 'h', min: 'min', s: 's' },
  zh: { h: '小时', min: '分', s: '秒' },
} as const;

export function formatDuration(totalSeconds: number, language: 'en' | 'zh'): string {
  const u = UNITS[language];
  const seconds = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const min = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const part = (value: number, unit: string) => `${value} ${unit}`;
  if (h > 0) return min > 0 ? `${part(h, u.h)} ${part(min, u.min)}` : part(h, u.h);
  if (min > 0) return s > 0 ? `${part(min, u.min)} ${part(s, u.s)}` : part(min, u.min);
  return part(s, u.s);
}
