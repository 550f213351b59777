// A language picker; every one on the page follows a switch made in any other.
import { isLocale, kLocales, locale, onLocaleChange, setLocale } from "../i18n/i18n";
import { bindText, h } from "./dom";

export function createLanguageSelect(id: string, className = "language"): HTMLElement {
  const select = h("select", { id });
  for (const code of kLocales) select.append(bindText(h("option", { value: code }), `lang.${code}`));
  select.value = locale();
  select.addEventListener("change", () => {
    if (isLocale(select.value)) setLocale(select.value);
  });
  onLocaleChange((next) => {
    select.value = next;
  });
  return h("label", { class: className }, bindText(h("span", { class: "visually-hidden" }), "nav.language"), select);
}
