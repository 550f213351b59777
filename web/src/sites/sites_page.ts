// /sites: points whose ETo is computed every day at a local time. The form creates a site (or
// edits one); it opens filled from the map's "monitor this point" (/sites?latitude=&longitude=).
// The list shows each site's last ETo, its 30-day sparkline and the next run; edit, delete and
// the history as CSV.
import "./sites.css";
import { formatNumber } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { download } from "../ui/results_view";
import { applyTranslations, bindText, h } from "../ui/dom";
import type { Workspace } from "../workspace/workspace";
import { createWorkspaceBox } from "../workspace/workspace_box";
import { createSite, deleteSite, historyCsv, listSites, updateSite, type Site, type SiteInput } from "./sites_api";
import { sparkline } from "./sparkline";

export interface SitesPage {
  element: HTMLElement;
  activate(search: string): void;
  translate(): void;
}

function input(id: string, label: MessageKey, attrs: Record<string, string> = {}): { wrap: HTMLElement; input: HTMLInputElement } {
  const element = h("input", { id, ...attrs });
  return { wrap: h("div", { class: "field" }, bindText(h("label", { for: id }), label), element), input: element };
}

function number(text: string): number {
  return Number(text.trim().replace(",", "."));
}

/// `instant` as the site's own clock shows it, with its zone's name; the browser's clock when the
/// zone is one Intl does not know (a fixed offset such as "UTC-03:00").
function siteTime(instant: Date, lang: string, zone: string | undefined): string {
  try {
    if (zone) return `${instant.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short", timeZone: zone })} (${zone})`;
  } catch {
    // not an IANA name
  }
  return instant.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
}

/// The last run's outcome ("ok", "running", "partial: …", "failed: …") in the user's language;
/// the server's English detail is kept as the line's tooltip.
function outcomeLine(date: string, outcome: string): HTMLElement {
  const kind = outcome.split(":")[0].trim();
  const known = ["ok", "running", "partial", "failed"].includes(kind) ? kind : "failed";
  const line = h("p", { class: "site-outcome", "data-outcome": known }, t("sites.last_run", { date, outcome: t(`sites.outcome_${known}` as MessageKey) }));
  const detail = outcome.slice(outcome.indexOf(":") + 1).trim();
  if (known !== kind || (detail && detail !== outcome)) line.title = detail || outcome;
  return line;
}

export function createSitesPage(workspace: Workspace): SitesPage {
  const workspaceBox = createWorkspaceBox(workspace, "sites");
  const name = input("site-name", "sites.name", { autocomplete: "off" });
  const lat = input("site-lat", "sites.latitude", { inputmode: "decimal", autocomplete: "off", required: "" });
  const lon = input("site-lon", "sites.longitude", { inputmode: "decimal", autocomplete: "off", required: "" });
  const time = input("site-time", "sites.local_time", { type: "time", value: "06:00" });
  const recent = h("input", { id: "site-mode-recent", type: "checkbox", checked: true });
  const forecast = h("input", { id: "site-mode-forecast", type: "checkbox" });
  const save = h("button", { id: "site-save", type: "submit" });
  const cancelEdit = bindText(h("button", { id: "site-cancel-edit", type: "button", class: "secondary", hidden: true }), "sites.cancel_edit");
  const formTitle = h("h2", { id: "site-form-title" });
  const formStatus = h("p", { id: "site-form-status", "aria-live": "polite" });
  const form = h(
    "form",
    { id: "site-form", class: "site-form", novalidate: true },
    formTitle,
    h("div", { class: "field-grid" }, name.wrap, lat.wrap, lon.wrap, time.wrap),
    h(
      "fieldset",
      { class: "modes" },
      bindText(h("legend", {}), "sites.modes"),
      h("label", { class: "check" }, recent, bindText(h("span", {}), "sites.mode_recent")),
      h("label", { class: "check" }, forecast, bindText(h("span", {}), "sites.mode_forecast")),
    ),
    h("div", { class: "actions" }, save, cancelEdit),
    formStatus,
  );
  const list = h("ul", { id: "site-list", class: "site-list" });
  const empty = bindText(h("p", { class: "empty", id: "site-list-empty" }), "sites.none");
  const element = h(
    "section",
    { id: "sites-page", class: "page sites-page", hidden: true, "aria-labelledby": "sites-heading" },
    bindText(h("h1", { id: "sites-heading" }), "sites.title"),
    bindText(h("p", { class: "lead" }), "sites.lead"),
    workspaceBox.element,
    form,
    h("section", { "aria-labelledby": "site-list-heading" }, bindText(h("h2", { id: "site-list-heading" }), "sites.yours"), empty, list),
  );

  let sites: Site[] = [];
  let editing: Site | null = null;

  const renderForm = (): void => {
    formTitle.textContent = t(editing ? "sites.edit_title" : "sites.new_title", { name: editing?.name ?? "" });
    save.textContent = t(editing ? "sites.save_changes" : "sites.create");
    cancelEdit.hidden = editing === null;
  };
  const fill = (site: Partial<Site> | null): void => {
    name.input.value = site?.name ?? "";
    lat.input.value = site?.latitude !== undefined ? String(site.latitude) : "";
    lon.input.value = site?.longitude !== undefined ? String(site.longitude) : "";
    time.input.value = site?.schedule?.local_time ?? "06:00";
    recent.checked = site?.modes ? site.modes.includes("recent") : true;
    forecast.checked = site?.modes ? site.modes.includes("forecast") : false;
  };

  const renderList = (): void => {
    const lang = locale();
    empty.hidden = sites.length > 0;
    list.replaceChildren(
      ...sites.map((site) => {
        const next = new Date(site.next_run_at);
        const last = site.last_eto;
        const lastText = last && last.eto_mm !== null
          ? t(last.kind === "forecast" ? "sites.last_eto_forecast" : "sites.last_eto", { value: formatNumber(lang, last.eto_mm, 2), date: last.date })
          : t("sites.no_eto_yet");
        const edit = bindText(h("button", { type: "button", class: "secondary site-edit" }), "sites.edit");
        edit.setAttribute("aria-label", t("sites.edit_named", { name: site.name }));
        edit.addEventListener("click", () => {
          editing = site;
          fill(site);
          renderForm();
          name.input.focus();
        });
        const remove = bindText(h("button", { type: "button", class: "danger site-delete" }), "sites.delete");
        remove.setAttribute("aria-label", t("sites.delete_named", { name: site.name }));
        remove.addEventListener("click", async () => {
          if (!window.confirm(t("sites.confirm_delete", { name: site.name }))) return;
          const removed = await deleteSite(workspace, site.id);
          if (removed.ok) await refresh();
        });
        const csv = bindText(h("button", { type: "button", class: "secondary site-csv" }), "sites.history_csv");
        csv.addEventListener("click", async () => {
          const text = await historyCsv(workspace, site.id);
          if (text !== null) download(text, "text/csv;charset=utf-8", `evapo_site_${site.id}.csv`);
        });
        return h(
          "li",
          { class: "site-item", "data-site-id": site.id },
          h("div", { class: "site-head" }, h("h3", { class: "site-name" }, site.name), h("span", { class: "site-point" }, `${formatNumber(lang, site.latitude, 4)}°, ${formatNumber(lang, site.longitude, 4)}°`)),
          h("p", { class: "site-last" }, lastText),
          sparkline(site.recent, t("sites.sparkline_label", { name: site.name })),
          h(
            "p",
            { class: "site-next" },
            t("sites.next_run", {
              when: siteTime(next, lang, site.schedule.time_zone),
              modes: site.modes.map((m) => t(`sites.mode_${m}` as MessageKey)).join(" + "),
            }),
          ),
          site.last_run ? outcomeLine(site.last_run.local_date, site.last_run.outcome) : null,
          h("div", { class: "site-buttons" }, edit, csv, remove),
        );
      }),
    );
  };

  const refresh = async (): Promise<void> => {
    if (!workspace.currentKey()) {
      sites = [];
      renderList();
      return;
    }
    const result = await listSites(workspace);
    sites = result.ok ? result.value.sites : [];
    renderList();
  };
  workspace.onChange(() => void refresh());

  cancelEdit.addEventListener("click", () => {
    editing = null;
    fill(null);
    renderForm();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const modes = [...(recent.checked ? ["recent" as const] : []), ...(forecast.checked ? ["forecast" as const] : [])];
    const latitude = number(lat.input.value);
    const longitude = number(lon.input.value);
    const problems: string[] = [];
    if (!Number.isFinite(latitude) || latitude < -90 || latitude > 90) problems.push(t("sites.bad_latitude"));
    if (!Number.isFinite(longitude) || longitude < -180 || longitude > 180) problems.push(t("sites.bad_longitude"));
    if (modes.length === 0) problems.push(t("sites.no_mode"));
    if (problems.length > 0) {
      formStatus.dataset.state = "error";
      formStatus.textContent = problems.join(" ");
      return;
    }
    const body: SiteInput = { latitude, longitude, schedule: { local_time: time.input.value || "06:00" }, modes };
    if (name.input.value.trim()) body.name = name.input.value.trim();
    save.disabled = true;
    const result = editing ? await updateSite(workspace, editing.id, body) : await createSite(workspace, body);
    save.disabled = false;
    if (!result.ok) {
      formStatus.dataset.state = "error";
      formStatus.textContent = result.status === 0 ? t("error.network") : t("validation.server", { message: result.details.map((d) => `${d.field}: ${d.reason}`).join("; ") || result.message });
      return;
    }
    formStatus.dataset.state = "ok";
    formStatus.textContent = t(editing ? "sites.saved" : "sites.created", { name: result.value.name });
    editing = null;
    fill(null);
    renderForm();
    workspaceBox.render();
    await refresh();
  });

  renderForm();
  return {
    element,
    activate(search) {
      const query = new URLSearchParams(search);
      const latitude = query.get("latitude");
      const longitude = query.get("longitude");
      if (latitude !== null && longitude !== null && !editing) {
        fill({ latitude: Number(latitude), longitude: Number(longitude), name: query.get("name") ?? "" });
        formStatus.textContent = t("sites.from_map");
        delete formStatus.dataset.state;
      }
      void refresh();
    },
    translate() {
      applyTranslations(element);
      renderForm();
      renderList();
      workspaceBox.render();
    },
  };
}
