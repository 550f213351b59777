import { describe, expect, it } from "vitest";
import en from "./messages/en.json";
import ptBR from "./messages/pt-BR.json";

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("operations messages", () => {
  it("have the same keys and placeholders in English and Portuguese, and are translated", () => {
    expect(Object.keys(ptBR).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ptBR[key]), key).toEqual(placeholders(en[key]));
      expect(en[key].trim().length, key).toBeGreaterThan(0);
    }
    const same = (Object.keys(en) as (keyof typeof en)[]).filter((k) => en[k] === ptBR[k]);
    expect(same.length / Object.keys(en).length).toBeLessThan(0.15);
  });

  it("name every health state, reason and component kind the server sends", () => {
    const keys = new Set(Object.keys(en));
    for (const state of ["healthy", "degraded", "down"]) expect(keys.has(`ops.health.state.${state}`), state).toBe(true);
    for (const reason of ["ok", "no_failures_seen", "recovered", "failed_share", "slow", "unreachable", "backlog", "silent"]) {
      expect(keys.has(`ops.health.reason.${reason}`), reason).toBe(true);
    }
    for (const kind of ["store", "queue", "source", "worker"]) expect(keys.has(`ops.health.kind.${kind}`), kind).toBe(true);
  });
});
