// The point the user chose, shared by every page (a point picked on the map is the one /eto
// calculates) and kept for this browser tab across reloads.

export interface SelectedPoint {
  latitude: number;
  longitude: number;
  /// A place name when it came from the search ("Piracicaba, São Paulo, Brasil").
  name?: string;
  /// Metres, when known (from the search or an elevation lookup).
  elevation_m?: number | null;
}

const kKey = "evapo.point.v1";

type Listener = (point: SelectedPoint | null, origin: string) => void;

export class PointStore {
  private point: SelectedPoint | null = null;
  private readonly listeners = new Set<Listener>();
  private readonly storage: Pick<Storage, "getItem" | "setItem"> | null;

  constructor(storage: Pick<Storage, "getItem" | "setItem"> | null) {
    this.storage = storage;
    try {
      const value = JSON.parse(storage?.getItem(kKey) ?? "null") as Partial<SelectedPoint> | null;
      if (
        value &&
        typeof value.latitude === "number" &&
        typeof value.longitude === "number" &&
        Math.abs(value.latitude) <= 90 &&
        Math.abs(value.longitude) <= 180
      ) {
        this.point = {
          latitude: value.latitude,
          longitude: value.longitude,
          ...(typeof value.name === "string" ? { name: value.name } : {}),
          ...(typeof value.elevation_m === "number" ? { elevation_m: value.elevation_m } : {}),
        };
      }
    } catch {
      this.point = null;
    }
  }

  get(): SelectedPoint | null {
    return this.point;
  }

  /// Sets the point; `origin` names who set it, so that a view does not redraw what it just did.
  set(point: SelectedPoint | null, origin: string): void {
    this.point = point;
    try {
      this.storage?.setItem(kKey, JSON.stringify(point));
    } catch {
      // Storage refused: the point still holds for this page.
    }
    for (const listener of this.listeners) listener(point, origin);
  }

  /// Adds what became known about the current point (a name, an elevation) if it is still it.
  amend(latitude: number, longitude: number, extra: Partial<SelectedPoint>, origin: string): void {
    const p = this.point;
    if (!p || Math.abs(p.latitude - latitude) > 1e-4 || Math.abs(p.longitude - longitude) > 1e-4) return;
    this.set({ ...p, ...extra }, origin);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/// sessionStorage, or null where the browser refuses it.
export function tabStorage(): Pick<Storage, "getItem" | "setItem"> | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
