// The fusion priors card: the active version, the stored versions, and a form to deploy a new
// CSV (validated by the server: a bad file gets its reason and changes nothing) or roll back.
import { locale, t } from "../i18n/i18n";
import { bindText, h } from "../ui/dom";
import { deployPriors, fetchPriors, rollBackPriors } from "./ops_api";
import { formatTime } from "./ops_format";
import type { OpsStore } from "./ops_store";

export interface PriorsView {
  element: HTMLElement;
  render(): void;
  refresh(): Promise<void>;
  /// Drops the last deploy's message (said in the previous language).
  clearMessage(): void;
}

export function createPriorsView(store: OpsStore, token: () => string): PriorsView {
  const active = h("p", { id: "priors-active" });
  const versions = h("ul", { id: "priors-versions", class: "plain-list" });
  const file = h("input", { id: "priors-file", type: "file", accept: ".csv,text/csv" });
  const note = h("input", { id: "priors-note", type: "text", maxlength: 200 });
  const message = h("p", { id: "priors-message", "aria-live": "polite" });
  const deploy = bindText(h("button", { type: "submit", class: "primary", id: "priors-deploy" }), "ops.priors.deploy");
  const rollback = bindText(h("button", { type: "button", class: "secondary", id: "priors-rollback" }), "ops.priors.rollback");

  const say = (text: string, ok: boolean): void => {
    message.textContent = text;
    message.className = ok ? "form-ok" : "form-error";
  };

  const form = h(
    "form",
    { class: "priors-form" },
    h("label", { class: "field" }, bindText(h("span", {}), "ops.priors.file"), file),
    h("label", { class: "field" }, bindText(h("span", {}), "ops.priors.note"), note),
    h("div", { class: "button-row" }, deploy, rollback),
    message,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      const chosen = file.files?.[0];
      if (!chosen) return say(t("ops.priors.no_file"), false);
      const result = await deployPriors(await chosen.text(), note.value.trim(), token());
      if (!result.ok) {
        const reason = result.details.map((d) => d.reason).join("; ") || result.message;
        return say(t("ops.priors.refused", { reason }), false);
      }
      store.setPriors(result.value);
      say(t("ops.priors.done", { version: result.value.active_version }), true);
      form.reset();
    })();
  });
  rollback.addEventListener("click", () => {
    void (async () => {
      const result = await rollBackPriors(token());
      if (!result.ok) return say(t("ops.priors.refused", { reason: result.message }), false);
      store.setPriors(result.value);
      say(t("ops.priors.done", { version: result.value.active_version }), true);
    })();
  });

  const render = (): void => {
    const priors = store.priors;
    if (!priors) return;
    const lang = locale();
    active.dataset.version = String(priors.active_version);
    active.textContent =
      priors.active_version === 0
        ? t("ops.priors.builtin")
        : `${t("ops.priors.active", { version: priors.active_version })} · ${t("ops.priors.rows", { rows: priors.active.rows })}${priors.active.note ? ` · ${priors.active.note}` : ""} · ${t("ops.priors.deployed_at", { time: formatTime(lang, priors.active.created_at) })}`;
    versions.replaceChildren(
      ...priors.versions.map((v) =>
        h("li", { "data-version": v.version, "data-active": v.version === priors.active_version ? "true" : "false" }, t("ops.priors.version_item", { version: v.version, rows: v.rows, time: formatTime(lang, v.created_at) }), v.note ? ` · ${v.note}` : ""),
      ),
    );
  };

  return {
    element: h(
      "section",
      { class: "ops-card", id: "ops-priors", "aria-labelledby": "ops-priors-heading" },
      bindText(h("h2", { id: "ops-priors-heading" }), "ops.priors.title"),
      active,
      form,
      bindText(h("h3", {}), "ops.priors.versions"),
      versions,
    ),
    render,
    clearMessage: () => say("", true),
    async refresh() {
      const result = await fetchPriors();
      if (result.ok) store.setPriors(result.value);
    },
  };
}
