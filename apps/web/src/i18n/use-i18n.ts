// The chosen language: from localStorage, else navigator.languages; switching persists it.
import { useCallback } from 'react';
import { create } from 'zustand';
import type { MessageKey } from './messages.ts';
import {
  localeOf,
  pickLanguage,
  translate,
  translateError,
  type Language,
  type MessageParams,
} from './translate.ts';

const STORAGE_KEY = 'filestore.language';

function storedLanguage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: fall back to the browser's languages
  }
}

function applyToDocument(language: Language) {
  document.documentElement.lang = localeOf(language);
}

const useLanguageStore = create<{ language: Language; setLanguage: (l: Language) => void }>(
  (set) => ({
    language: pickLanguage(storedLanguage(), navigator.languages ?? [navigator.language]),
    setLanguage: (language) => {
      try {
        localStorage.setItem(STORAGE_KEY, language);
      } catch {
        // Not persisted; the choice still holds for this page.
      }
      applyToDocument(language);
      set({ language });
    },
  }),
);

applyToDocument(useLanguageStore.getState().language);

export function useI18n() {
  const { language, setLanguage } = useLanguageStore();
  const t = useCallback(
    (key: MessageKey, params?: MessageParams) => translate(language, key, params),
    [language],
  );
  const errorText = useCallback((err: unknown) => translateError(language, err), [language]);
  return { language, setLanguage, t, errorText, locale: localeOf(language) };
}
