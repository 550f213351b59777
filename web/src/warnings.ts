// A result's warnings in the user's language. The server sends each as a code with parameters
// and an English sentence ({code, params, message}); older results sent the sentence alone.
import { kMessages, type Locale } from "./i18n/i18n";

export interface Warning {
  code: string;
  params: Record<string, string | number>;
  message: string;
}

/// A warning as the server sent it, normalised (a bare string becomes an unknown code).
export function readWarning(value: unknown): Warning {
  if (typeof value === "string") return { code: "", params: {}, message: value };
  const object = (typeof value === "object" && value !== null ? value : {}) as Partial<Warning>;
  const params = typeof object.params === "object" && object.params !== null ? object.params : {};
  return { code: String(object.code ?? ""), params, message: String(object.message ?? object.code ?? "") };
}

function message(locale: Locale, key: string): string | undefined {
  return kMessages[locale][key] ?? kMessages.en[key];
}

/// The warning's text in `locale`: its code's message with the parameters filled (sources and
/// variables by their names, counts with the right plural), or the server's English sentence
/// for a code this app does not know.
export function warningText(locale: Locale, warning: Warning): string {
  const base = `warning.${warning.code}`;
  const count = warning.params.days ?? warning.params.count;
  const plural = typeof count === "number" ? new Intl.PluralRules(locale).select(count) : "";
  const template = (plural && message(locale, `${base}.${plural}`)) || message(locale, base);
  if (!warning.code || !template) return warning.message;
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = warning.params[name];
    if (value === undefined) return `{${name}}`;
    if (name === "source") return message(locale, `source.${value}`) ?? String(value);
    if (name === "variable") return message(locale, `variable.${value}`) ?? String(value);
    return typeof value === "number" ? value.toLocaleString(locale) : String(value);
  });
}

/// Warnings that change what the numbers mean and are shown first, unfolded.
export function isMajorWarning(warning: Warning): boolean {
  return warning.code === "over_sea";
}
