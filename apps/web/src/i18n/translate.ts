// Pure lookups over the dictionaries; React reaches them through use-i18n.ts.
import { en, zh, type MessageKey } from './messages.ts';

export type Language = 'en' | 'zh';

export const LANGUAGES: readonly Language[] = ['en', 'zh'];

const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh };

/** The BCP 47 tag for Intl formatting. */
export const localeOf = (language: Language) => (language === 'zh' ? 'zh-CN' : 'en-US');

/** A stored choice wins; otherwise the first browser language we speak; otherwise English. */
export function pickLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'zh' || primary === 'en') return primary;
  }
  return 'en';
}

export type MessageParams = Record<string, string | number>;

/** The message in `language`, with `{name}` placeholders filled from `params`. */
export function translate(language: Language, key: MessageKey, params: MessageParams = {}): string {
  return dictionaries[language][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const isMessageKey = (key: string): key is MessageKey => key in en;

/** Words for an error: our translation of its code when we have one, else the server's message. */
export function translateError(language: Language, err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && isMessageKey(`error.${code}`)) {
    return translate(language, `error.${code}` as MessageKey);
  }
  return err instanceof Error ? err.message : String(err);
}
