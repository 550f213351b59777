// The browser's workspace: its key, created on first use (POST /api/v1/workspaces) and kept in
// localStorage, sent as "Authorization: Bearer" on every dataset and site call. The key can be
// copied to another device and pasted there (setKey). Every call resolves to a tagged result.
import { call, type ApiResult } from "../api";

const kStorageKey = "evapo.workspace.v1";
const kKeyPattern = /^evapo_ws_[0-9a-f]{64}$/;

export interface KeyStorage {
  get(): string | null;
  set(key: string): void;
}

export function browserKeyStorage(): KeyStorage {
  return {
    get: () => {
      try {
        return localStorage.getItem(kStorageKey);
      } catch {
        return null;
      }
    },
    set: (key) => {
      try {
        localStorage.setItem(kStorageKey, key);
      } catch {
        // Private browsing: the key lives for this page only.
      }
    },
  };
}

/// True when `text` has the form of a workspace key.
export function isWorkspaceKey(text: string): boolean {
  return kKeyPattern.test(text.trim());
}

export class Workspace {
  private key: string | null;
  private creating: Promise<string | null> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: KeyStorage = browserKeyStorage()) {
    const stored = storage.get();
    this.key = stored && isWorkspaceKey(stored) ? stored : null;
  }

  /// The key, or null before the first use.
  currentKey(): string | null {
    return this.key;
  }

  /// Replaces the key (one copied from another device); false when it is not a key.
  setKey(text: string): boolean {
    const key = text.trim();
    if (!isWorkspaceKey(key)) return false;
    this.key = key;
    this.storage.set(key);
    for (const listener of this.listeners) listener();
    return true;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /// The key, creating the workspace on first use; null when the server cannot be reached.
  async ensureKey(): Promise<string | null> {
    if (this.key) return this.key;
    this.creating ??= (async () => {
      const created = await call<{ key: string }>("/api/v1/workspaces", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      if (created.ok && isWorkspaceKey(created.value.key)) {
        this.setKey(created.value.key);
        return created.value.key;
      }
      // offline: the caller shows the network error
      return null;
    })();
    const key = await this.creating;
    this.creating = null;
    return key;
  }

  /// A JSON call with the workspace's key.
  async call<T>(path: string, init: RequestInit = {}): Promise<ApiResult<T>> {
    const key = await this.ensureKey();
    if (!key) return { ok: false, status: 0, code: "network", message: "network", details: [] };
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${key}`);
    if (init.body && !headers.has("Content-Type")) headers.set("Content-Type", "application/json");
    return call<T>(path, { ...init, headers });
  }
}
