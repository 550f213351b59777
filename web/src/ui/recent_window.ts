// "Last 7 / 14 / 21 / 30 days": the recent windows the server accepts.
import { t } from "../i18n/i18n";
import { bindText, h } from "./dom";

export const kRecentWindows = [7, 14, 21, 30] as const;

export function createRecentWindowSelect(id: string): { element: HTMLElement; days(): number; translate(): void } {
  const select = h("select", { id });
  const fill = (): void => {
    const chosen = select.value || "7";
    select.replaceChildren(...kRecentWindows.map((days) => h("option", { value: days }, t("recent.last_days", { days }))));
    select.value = chosen;
  };
  fill();
  const element = h("div", { class: "field recent-window" }, bindText(h("label", { for: id }), "recent.label"), select);
  return { element, days: () => Number(select.value), translate: fill };
}
