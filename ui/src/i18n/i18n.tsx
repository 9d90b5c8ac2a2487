// The language of the app: English or Arabic, kept in localStorage, applied to <html lang dir>
// so the whole layout (logical CSS properties) mirrors for Arabic.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ar, arStates, en, type MessageKey } from './messages.ts';
import { validationText } from './validation.ts';

export type Lang = 'en' | 'ar';
const STORAGE_KEY = 'enclave.lang';

interface I18n {
  readonly lang: Lang;
  readonly dir: 'ltr' | 'rtl';
  readonly setLang: (lang: Lang) => void;
  readonly t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  readonly formatDate: (iso: string | null) => string;
  /** An API state word (`running`, `online`) in the current language. */
  readonly stateText: (state: string) => string;
  readonly formatNumber: (n: number, options?: Intl.NumberFormatOptions) => string;
  /** A validation message from the contract's schemas or the server, in the current language. */
  readonly validation: (message: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'ar' || fromUrl === 'en') return fromUrl;
  const stored = window.localStorage.getItem(STORAGE_KEY);
  return stored === 'ar' ? 'ar' : 'en';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const dir = lang === 'ar' ? 'rtl' : 'ltr';
  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
  }, [lang, dir]);
  const setLang = useCallback((next: Lang) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const table = lang === 'ar' ? ar : en;
    const locale = lang === 'ar' ? 'ar' : 'en-GB';
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      lang,
      dir,
      setLang,
      t: (key, vars) => {
        let text: string = table[key];
        for (const [k, v] of Object.entries(vars ?? {})) text = text.replace(`{${k}}`, String(v));
        return text;
      },
      stateText: (state) => (lang === 'ar' ? (arStates[state] ?? state) : state),
      formatDate: (iso) => (iso === null ? '—' : dates.format(new Date(iso))),
      formatNumber: (n, options) => new Intl.NumberFormat(locale, options).format(n),
      validation: (message) => validationText(message, lang),
    };
  }, [lang, dir, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n outside I18nProvider');
  return value;
}
