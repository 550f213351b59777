import { beforeEach, describe, expect, it } from "vitest";
import { initialLocale, onLocaleChange, setLocale, t } from "./i18n";

describe("locale switching", () => {
  beforeEach(() => localStorage.clear());

  it("switches messages, <html lang> and remembers the choice", () => {
    const seen: string[] = [];
    const off = onLocaleChange((l) => seen.push(l));
    setLocale("pt-BR");
    expect(t("nav.about")).toBe("Sobre");
    expect(document.documentElement.lang).toBe("pt-BR");
    expect(initialLocale()).toBe("pt-BR");
    setLocale("en");
    expect(t("nav.about")).toBe("About");
    expect(document.documentElement.lang).toBe("en");
    expect(seen).toEqual(["pt-BR", "en"]);
    off();
  });

  it("fills placeholders", () => {
    setLocale("en");
    expect(t("progress.step", { current: 3, total: 7, label: "x" })).toBe("Step 3/7: x");
    setLocale("pt-BR");
    expect(t("progress.step", { current: 3, total: 7, label: "x" })).toBe("Etapa 3/7: x");
    setLocale("en");
  });
});
