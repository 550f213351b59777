// Message lookup and locale state. Every visible string comes from en.json / pt-BR.json
// (identical key sets, checked by i18n.test.ts); switching locale re-renders without a reload.
import opsEn from "../ops/messages/en.json";
import opsPtBR from "../ops/messages/pt-BR.json";
import en from "./en.json";
import ptBR from "./pt-BR.json";

export type Locale = "en" | "pt-BR";
// The operations page keeps its messages beside it (web/src/ops/messages/).
export type MessageKey = keyof typeof en | keyof typeof opsEn;

export const kLocales: readonly Locale[] = ["en", "pt-BR"];
export const kMessages: Record<Locale, Record<string, string>> = {
  en: { ...en, ...opsEn },
  "pt-BR": { ...ptBR, ...opsPtBR },
};

const kStorageKey = "evapo.locale";
let current: Locale = "en";
const listeners = new Set<(locale: Locale) => void>();

/// The active locale.
export function locale(): Locale {
  return current;
}

/// Message `key` in the active locale with `{name}` placeholders replaced from `params`.
/// An unknown key returns the key itself (visible in review, never a crash).
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = kMessages[current][key] ?? kMessages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name in params ? String(params[name]) : `{${name}}`,
  );
}

/// True if `text` names a supported locale.
export function isLocale(text: string | null | undefined): text is Locale {
  return text === "en" || text === "pt-BR";
}

/// Switches the locale, remembers it in localStorage, sets <html lang> and notifies listeners.
export function setLocale(next: Locale): void {
  current = next;
  try {
    localStorage.setItem(kStorageKey, next);
  } catch {
    // Private browsing may refuse storage; the switch still applies to this page.
  }
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

/// The remembered locale, else the browser's if supported, else English.
export function initialLocale(): Locale {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(kStorageKey);
  } catch {
    stored = null;
  }
  if (isLocale(stored)) return stored;
  const browser = typeof navigator !== "undefined" ? navigator.language : "en";
  return browser.toLowerCase().startsWith("pt") ? "pt-BR" : "en";
}

/// Calls `listener` after every locale switch; returns the unsubscribe function.
export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
