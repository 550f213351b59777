// A tiny DOM builder and the translation pass: elements carry data-i18n="key" (text) or
// data-i18n-attr="attr:key;attr:key", so a language switch rewrites text in place.
import { t, type MessageKey } from "../i18n/i18n";

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

/// Creates <tag> with attributes (on* functions become listeners; false/null are skipped).
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/// A <span> whose text is message `key`, kept in the active language.
export function tx(key: MessageKey, tag: keyof HTMLElementTagNameMap = "span"): HTMLElement {
  const element = document.createElement(tag);
  element.dataset.i18n = key;
  element.textContent = t(key);
  return element;
}

/// Sets an element's text to message `key` and keeps it translated.
export function bindText<E extends HTMLElement>(element: E, key: MessageKey): E {
  element.dataset.i18n = key;
  element.textContent = t(key);
  return element;
}

/// Binds attributes to messages, e.g. bindAttrs(input, {placeholder: "coords.lat_placeholder"}).
export function bindAttrs<E extends HTMLElement>(element: E, attrs: Record<string, MessageKey>): E {
  element.dataset.i18nAttr = Object.entries(attrs)
    .map(([a, k]) => `${a}:${k}`)
    .join(";");
  for (const [a, k] of Object.entries(attrs)) element.setAttribute(a, t(k));
  return element;
}

/// Re-translates every bound element under `root`.
export function applyTranslations(root: ParentNode): void {
  root.querySelectorAll<HTMLElement>("[data-i18n]").forEach((element) => {
    element.textContent = t(element.dataset.i18n as MessageKey);
  });
  root.querySelectorAll<HTMLElement>("[data-i18n-attr]").forEach((element) => {
    for (const pair of (element.dataset.i18nAttr ?? "").split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) element.setAttribute(attr, t(key as MessageKey));
    }
  });
}
