// Latitude / longitude (and optional elevation) inputs validated as the user types, each with
// its reason shown under the field and announced to screen readers.
import { t, type MessageKey } from "../i18n/i18n";
import { checkElevation, checkLatitude, checkLongitude, type Checked } from "../validation";
import { bindAttrs, bindText, h } from "./dom";

export interface CoordinateFields {
  element: HTMLElement;
  /// Valid latitude/longitude (and elevation or null), or null while any field is invalid.
  value(): { latitude: number; longitude: number; elevation_m: number | null } | null;
  /// Fills the fields (e.g. from a map click) and re-validates.
  set(latitude: number, longitude: number): void;
  /// Shows every field's reason (e.g. on a submit attempt); returns true if all valid.
  validateAll(): boolean;
  translate(): void;
}

interface Field {
  input: HTMLInputElement;
  reason: HTMLElement;
  check: (text: string) => Checked;
  touched: boolean;
  last: Checked;
}

/// Builds the fields with ids `${prefix}lat-input`, `${prefix}lon-input`, `${prefix}elev-input`
/// (prefix "" on the map page, so its ids are #lat-input / #lon-input).
export function createCoordinateFields(
  prefix: string,
  onChange: (valid: boolean) => void,
  options: { elevation: boolean } = { elevation: true },
): CoordinateFields {
  const fields: Field[] = [];
  const make = (id: string, label: MessageKey, placeholder: MessageKey | null, check: Field["check"]): HTMLElement => {
    const input = h("input", {
      id,
      type: "text",
      inputmode: "decimal",
      autocomplete: "off",
      spellcheck: "false",
      "aria-describedby": `${id}-reason`,
    });
    if (placeholder) bindAttrs(input, { placeholder });
    const reason = h("div", { id: `${id}-reason`, class: "field-reason", "aria-live": "polite" });
    const field: Field = { input, reason, check, touched: false, last: check("") };
    fields.push(field);
    input.addEventListener("input", () => {
      field.touched = true;
      refresh(field);
      onChange(isValid());
    });
    const labelElement = bindText(h("label", { for: id }), label);
    return h("div", { class: "field" }, labelElement, input, reason);
  };
  const refresh = (field: Field): void => {
    field.last = field.check(field.input.value);
    const show = field.touched && !field.last.ok;
    field.input.setAttribute("aria-invalid", show ? "true" : "false");
    field.reason.textContent = show && !field.last.ok ? t(field.last.reason) : "";
    field.reason.classList.toggle("visible", show);
  };
  const isValid = (): boolean => fields.every((f) => f.check(f.input.value).ok);

  const lat = make(`${prefix}lat-input`, "coords.latitude", "coords.lat_placeholder", checkLatitude);
  const lon = make(`${prefix}lon-input`, "coords.longitude", "coords.lon_placeholder", checkLongitude);
  const children = [lat, lon];
  if (options.elevation) children.push(make(`${prefix}elev-input`, "coords.elevation", null, checkElevation));
  const element = h("div", { class: "coordinate-fields" }, ...children);

  return {
    element,
    value() {
      const [latField, lonField, elevField] = fields.map((f) => f.check(f.input.value));
      if (!latField.ok || !lonField.ok || (elevField && !elevField.ok)) return null;
      return {
        latitude: latField.value as number,
        longitude: lonField.value as number,
        elevation_m: elevField && elevField.ok ? elevField.value : null,
      };
    },
    set(latitude, longitude) {
      fields[0].input.value = String(latitude);
      fields[1].input.value = String(longitude);
      for (const f of fields.slice(0, 2)) {
        f.touched = true;
        refresh(f);
      }
      onChange(isValid());
    },
    validateAll() {
      for (const f of fields) {
        f.touched = true;
        refresh(f);
      }
      return isValid();
    },
    translate() {
      fields.forEach(refresh);
    },
  };
}
