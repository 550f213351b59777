import { afterEach, describe, expect, it, vi } from "vitest";
import { isWorkspaceKey, Workspace, type KeyStorage } from "./workspace";

const kKey = `evapo_ws_${"ab".repeat(32)}`;

function memory(initial: string | null = null): KeyStorage & { value: string | null } {
  const store = { value: initial, get: () => store.value, set: (key: string) => void (store.value = key) };
  return store;
}

afterEach(() => vi.unstubAllGlobals());

describe("the workspace key", () => {
  it("has the server's form only", () => {
    expect(isWorkspaceKey(kKey)).toBe(true);
    expect(isWorkspaceKey(` ${kKey} `)).toBe(true);
    expect(isWorkspaceKey(kKey.slice(0, -1))).toBe(false);
    expect(isWorkspaceKey(kKey.toUpperCase())).toBe(false);
  });

  it("is created once on first use, kept, and sent as a bearer token", async () => {
    const storage = memory();
    const calls: { url: string; auth: string | null }[] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit = {}) => {
      calls.push({ url, auth: new Headers(init.headers).get("Authorization") });
      const body = url === "/api/v1/workspaces" ? { key: kKey } : { datasets: [] };
      return new Response(JSON.stringify(body), { status: url === "/api/v1/workspaces" ? 201 : 200 });
    });
    const workspace = new Workspace(storage);
    expect(workspace.currentKey()).toBeNull();
    const [a, b] = await Promise.all([workspace.call("/api/v1/datasets"), workspace.call("/api/v1/sites")]);
    expect(a.ok && b.ok).toBe(true);
    expect(calls.filter((c) => c.url === "/api/v1/workspaces")).toHaveLength(1);
    expect(calls.filter((c) => c.url !== "/api/v1/workspaces").every((c) => c.auth === `Bearer ${kKey}`)).toBe(true);
    expect(storage.value).toBe(kKey);
    expect(new Workspace(storage).currentKey()).toBe(kKey);
  });

  it("takes a key copied from another device, and refuses anything else", () => {
    const workspace = new Workspace(memory());
    let changes = 0;
    workspace.onChange(() => ++changes);
    expect(workspace.setKey("not a key")).toBe(false);
    expect(workspace.setKey(`  ${kKey}\n`)).toBe(true);
    expect(workspace.currentKey()).toBe(kKey);
    expect(changes).toBe(1);
  });

  it("reports the server's refusal as a value", async () => {
    vi.stubGlobal("fetch", async () => new Response(JSON.stringify({ error: { code: "UNAUTHORIZED", message: "no workspace has this key", details: [] } }), { status: 401 }));
    const result = await new Workspace(memory(kKey)).call("/api/v1/datasets");
    expect(result).toEqual({ ok: false, status: 401, code: "UNAUTHORIZED", message: "no workspace has this key", details: [] });
  });
});
