// The workspace's key on the datasets and sites pages: shown so that it can be copied to
// another device, and a field to use a key copied from one.
import { t } from "../i18n/i18n";
import { bindAttrs, bindText, h } from "../ui/dom";
import type { Workspace } from "./workspace";

export interface WorkspaceBox {
  element: HTMLElement;
  render(): void;
}

export function createWorkspaceBox(workspace: Workspace, idPrefix: string): WorkspaceBox {
  const keyField = h("input", { id: `${idPrefix}-workspace-key`, class: "workspace-key", readonly: true, spellcheck: "false", autocomplete: "off" });
  const copy = bindText(h("button", { type: "button", class: "secondary", id: `${idPrefix}-copy-key` }), "workspace.copy");
  const status = h("span", { class: "workspace-status", "aria-live": "polite" });
  const other = bindAttrs(h("input", { id: `${idPrefix}-other-key`, autocomplete: "off", spellcheck: "false" }), { placeholder: "workspace.paste_placeholder" });
  const use = bindText(h("button", { type: "button", class: "secondary", id: `${idPrefix}-use-key` }), "workspace.use");
  const keyLabel = bindText(h("label", { for: keyField.id }), "workspace.key");
  const otherLabel = bindText(h("label", { for: other.id }), "workspace.other");
  const hint = bindText(h("p", { class: "hint" }), "workspace.hint");

  const render = (): void => {
    const key = workspace.currentKey();
    keyField.value = key ?? "";
    keyField.placeholder = key ? "" : t("workspace.none_yet");
    copy.disabled = !key;
  };
  copy.addEventListener("click", async () => {
    const key = workspace.currentKey();
    if (!key) return;
    keyField.select();
    try {
      await navigator.clipboard.writeText(key);
      status.textContent = t("workspace.copied");
    } catch {
      status.textContent = t("workspace.copy_by_hand");
    }
  });
  use.addEventListener("click", () => {
    status.textContent = workspace.setKey(other.value) ? t("workspace.switched") : t("workspace.not_a_key");
    if (workspace.currentKey() === other.value.trim()) other.value = "";
  });
  workspace.onChange(render);
  render();
  const element = h(
    "details",
    { class: "workspace-box", id: `${idPrefix}-workspace` },
    bindText(h("summary", {}), "workspace.title"),
    hint,
    h("div", { class: "field-row" }, h("div", { class: "field" }, keyLabel, keyField), copy),
    h("div", { class: "field-row" }, h("div", { class: "field" }, otherLabel, other), use),
    status,
  );
  return { element, render };
}
