// /datasets: the user's own station files. A file dropped or picked is sent with its site
// values; the bar shows the bytes sent (browser), then the rows the server has checked (its
// upload_progress events); a refused file shows every problem with its line; a stored one
// opens at /datasets/<id> (dataset_view.ts).
import "./datasets.css";
import { formatNumber } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { applyTranslations, bindText, h } from "../ui/dom";
import type { Workspace } from "../workspace/workspace";
import { createWorkspaceBox } from "../workspace/workspace_box";
import { listDatasets, newUploadId, uploadDataset, type Dataset, type UploadFields, type UploadRefusal } from "./datasets_api";
import { createDatasetView } from "./dataset_view";
import { followUpload } from "./upload_events";

export interface DatasetsPage {
  element: HTMLElement;
  /// Shows the list, or the dataset of `path` (/datasets/<id>).
  activate(path: string): void;
  translate(): void;
}

function megabytes(bytes: number): string {
  return formatNumber(locale(), bytes / 1e6, bytes < 1e7 ? 2 : 1);
}

function field(id: string, label: MessageKey, attrs: Record<string, string> = {}): { wrap: HTMLElement; input: HTMLInputElement } {
  const input = h("input", { id, ...attrs });
  const wrap = h("div", { class: "field" }, bindText(h("label", { for: id }), label), input);
  return { wrap, input };
}

export function createDatasetsPage(workspace: Workspace, navigate: (path: string) => void): DatasetsPage {
  const workspaceBox = createWorkspaceBox(workspace, "datasets");
  const fileInput = h("input", { id: "file-input", type: "file", accept: ".csv,text/csv", class: "visually-hidden" });
  const chosen = h("span", { id: "chosen-file", class: "chosen-file" });
  const dropText = bindText(h("span", { class: "drop-text" }), "datasets.drop");
  const pick = bindText(h("label", { for: "file-input", class: "button-like", tabindex: 0, id: "pick-file" }), "datasets.pick");
  const dropZone = h("div", { id: "drop-zone", class: "drop-zone" }, dropText, pick, chosen, fileInput);

  const name = field("ds-name", "datasets.name", { autocomplete: "off" });
  const lat = field("ds-lat", "datasets.latitude", { inputmode: "decimal", autocomplete: "off" });
  const lon = field("ds-lon", "datasets.longitude", { inputmode: "decimal", autocomplete: "off" });
  const elev = field("ds-elev", "datasets.elevation", { inputmode: "decimal", autocomplete: "off" });
  const windHeight = field("ds-wind-height", "datasets.wind_height", { inputmode: "decimal", autocomplete: "off", placeholder: "2" });
  const tz = field("ds-tz", "datasets.tz_offset", { inputmode: "decimal", autocomplete: "off" });
  const skip = h("input", { id: "ds-skip-invalid", type: "checkbox" });
  const uploadButton = bindText(h("button", { id: "upload-btn", type: "submit" }), "datasets.upload");
  const bar = h("progress", { id: "upload-bar", max: 100, value: 0 });
  const status = h("p", { id: "upload-status", "aria-live": "polite" });
  const progress = h("div", { id: "upload-progress", class: "upload-progress", hidden: true }, bar, status);
  const errors = h("div", { id: "upload-errors", class: "upload-errors", role: "alert", hidden: true });

  const form = h(
    "form",
    { id: "upload-form", class: "upload-form", novalidate: true },
    dropZone,
    h("div", { class: "field-grid" }, name.wrap, lat.wrap, lon.wrap, elev.wrap, windHeight.wrap, tz.wrap),
    bindText(h("p", { class: "hint" }), "datasets.site_hint"),
    h("label", { class: "check" }, skip, bindText(h("span", {}), "datasets.skip_invalid")),
    h("div", { class: "actions" }, uploadButton),
    progress,
    errors,
  );

  const list = h("ul", { id: "dataset-list", class: "dataset-list" });
  const listEmpty = bindText(h("p", { class: "empty", id: "dataset-list-empty" }), "datasets.none");
  const listSection = h("section", { class: "dataset-list-section", "aria-labelledby": "dataset-list-heading" }, bindText(h("h2", { id: "dataset-list-heading" }), "datasets.yours"), listEmpty, list);

  const view = createDatasetView(workspace, {
    back: () => navigate("/datasets"),
    deleted: () => navigate("/datasets"),
  });
  const home = h("div", { class: "datasets-home" }, form, listSection);
  const element = h(
    "section",
    { id: "datasets-page", class: "page datasets-page", hidden: true, "aria-labelledby": "datasets-heading" },
    bindText(h("h1", { id: "datasets-heading" }), "datasets.title"),
    bindText(h("p", { class: "lead" }), "datasets.lead"),
    workspaceBox.element,
    home,
    view.element,
  );

  let file: File | null = null;
  let datasets: Dataset[] = [];
  const choose = (picked: File | null | undefined): void => {
    if (!picked) return;
    file = picked;
    chosen.textContent = t("datasets.chosen", { name: picked.name, size: megabytes(picked.size) });
    if (!name.input.value) name.input.value = picked.name.replace(/\.[^.]+$/, "");
    errors.hidden = true;
  };
  fileInput.addEventListener("change", () => choose(fileInput.files?.[0]));
  pick.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      fileInput.click();
    }
  });
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  });
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    choose(event.dataTransfer?.files?.[0]);
  });

  const renderList = (): void => {
    listEmpty.hidden = datasets.length > 0;
    list.replaceChildren(
      ...datasets.map((dataset) =>
        h(
          "li",
          { class: "dataset-item", "data-dataset-id": dataset.id },
          h("a", { href: `/datasets/${dataset.id}`, onclick: (e: Event) => (e.preventDefault(), navigate(`/datasets/${dataset.id}`)) }, dataset.name),
          h(
            "span",
            { class: "dataset-facts" },
            t("datasets.facts", {
              timestep: t(`datasets.timestep_${dataset.timestep}` as MessageKey),
              rows: formatNumber(locale(), dataset.rows, 0),
              start: dataset.period?.start ?? "—",
              end: dataset.period?.end ?? "—",
            }),
          ),
        ),
      ),
    );
  };
  const refresh = async (): Promise<void> => {
    if (!workspace.currentKey()) {
      datasets = [];
      renderList();
      return;
    }
    const result = await listDatasets(workspace);
    datasets = result.ok ? result.value.datasets : [];
    renderList();
  };
  workspace.onChange(() => void refresh());

  const showRefusal = (refusal: UploadRefusal): void => {
    errors.hidden = false;
    const heading = h("p", { class: "error-title" }, refusal.status === 0 ? t("error.network") : t("datasets.refused", { message: refusal.message }));
    const children: HTMLElement[] = [heading];
    if (refusal.problems.length > 0) {
      const rows = refusal.problems.map((p) =>
        h("tr", {}, h("td", {}, p.line ? String(p.line) : "—"), h("td", {}, p.column || "—"), h("td", {}, p.reason)),
      );
      children.push(
        h(
          "table",
          { id: "upload-error-list", class: "problems" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("datasets.line")), h("th", { scope: "col" }, t("datasets.column")), h("th", { scope: "col" }, t("datasets.reason")))),
          h("tbody", {}, ...rows),
        ),
      );
      if (refusal.problem_count > refusal.problems.length) {
        children.push(h("p", { class: "more" }, t("datasets.more_problems", { count: refusal.problem_count - refusal.problems.length })));
      }
    } else if (refusal.details.length > 0) {
      children.push(h("ul", {}, ...refusal.details.map((d) => h("li", {}, `${d.field}: ${d.reason}`))));
    }
    errors.replaceChildren(...children);
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!file) {
      showRefusal({ status: 422, code: "NO_FILE", message: t("datasets.no_file"), problems: [], problem_count: 0, details: [] });
      return;
    }
    const key = await workspace.ensureKey();
    if (!key) {
      showRefusal({ status: 0, code: "NETWORK", message: "", problems: [], problem_count: 0, details: [] });
      return;
    }
    const fields: UploadFields = {
      name: name.input.value,
      latitude_deg: lat.input.value,
      longitude_deg: lon.input.value,
      elevation_m: elev.input.value,
      wind_height_m: windHeight.input.value,
      tz_offset_h: tz.input.value,
      skip_invalid: skip.checked,
    };
    const uploadId = newUploadId();
    errors.hidden = true;
    progress.hidden = false;
    uploadButton.disabled = true;
    bar.value = 0;
    status.textContent = t("datasets.starting");
    let rowsChecked = 0;
    let sentAll = false;
    // Once the browser has handed every byte over, the bar follows what the server received.
    let serverPercent = 0;
    const events = followUpload(uploadId, {
      progress: (data) => {
        rowsChecked = Math.max(rowsChecked, data.rows_parsed);
        if (data.bytes_total) serverPercent = Math.max(serverPercent, (100 * data.bytes_received) / data.bytes_total);
        if (!sentAll) return;  // the next bytes-sent update shows the rows too
        bar.value = serverPercent;
        status.textContent = t("datasets.checking", { rows: formatNumber(locale(), rowsChecked, 0) });
        status.dataset.phase = "checking";
      },
    });
    await events.ready;
    const outcome = await uploadDataset(key, file, fields, uploadId, (loaded, total) => {
      sentAll = loaded >= total;
      bar.value = sentAll ? serverPercent : total > 0 ? (100 * loaded) / total : 0;
      status.dataset.phase = sentAll ? "checking" : "sending";
      status.textContent = sentAll
        ? t("datasets.checking", { rows: formatNumber(locale(), rowsChecked, 0) })
        : t(rowsChecked > 0 ? "datasets.sending_checked" : "datasets.sending", {
            percent: Math.round((100 * loaded) / Math.max(1, total)),
            sent: megabytes(loaded),
            total: megabytes(total),
            rows: formatNumber(locale(), rowsChecked, 0),
          });
    });
    events.close();
    uploadButton.disabled = false;
    if (!outcome.ok) {
      progress.hidden = true;
      showRefusal(outcome.refusal);
      return;
    }
    bar.value = 100;
    status.dataset.phase = "done";
    const rejected = outcome.dataset.upload.rows_rejected;
    status.textContent = t(rejected > 0 ? "datasets.stored_skipped" : "datasets.stored", {
      rows: formatNumber(locale(), outcome.dataset.rows, 0),
      skipped: formatNumber(locale(), rejected, 0),
    });
    if (rejected > 0) {
      showRefusal({ status: 201, code: "SKIPPED", message: t("datasets.skipped_rows"), problems: outcome.dataset.upload.rejected, problem_count: rejected, details: [] });
    }
    workspaceBox.render();
    file = null;
    chosen.textContent = "";
    fileInput.value = "";
    await refresh();
    navigate(`/datasets/${outcome.dataset.id}`);
  });

  return {
    element,
    activate(path) {
      const id = path.split("/")[2] ?? "";
      home.hidden = id !== "";
      if (id) {
        void view.show(id);
      } else {
        view.hide();
        void refresh();
      }
    },
    translate() {
      applyTranslations(element);
      renderList();
      view.translate();
      workspaceBox.render();
    },
  };
}

