import { describe, expect, it } from "vitest";
import { kMessages } from "./i18n";
import en from "./en.json";
import ptBR from "./pt-BR.json";

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message files", () => {
  it("en and pt-BR have identical key sets", () => {
    expect(Object.keys(ptBR).sort()).toEqual(Object.keys(en).sort());
  });

  it("every message is a non-empty string in both languages", () => {
    for (const messages of Object.values(kMessages)) {
      for (const [key, text] of Object.entries(messages)) {
        expect(typeof text, key).toBe("string");
        expect(text.trim().length, key).toBeGreaterThan(0);
      }
    }
  });

  it("each key has the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ptBR[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("every step, status and source state the server sends has a message", () => {
    const keys = new Set(Object.keys(en));
    for (const step of ["validating", "elevation", "downloading", "preprocessing", "fusing", "computing_eto", "finalizing"]) {
      expect(keys.has(`step.${step}`), step).toBe(true);
    }
    for (const status of ["queued", "processing", "success", "error", "timeout", "cancelled"]) {
      expect(keys.has(`status.${status}`), status).toBe(true);
    }
    for (const state of ["pending", "downloading", "cached", "done", "failed", "skipped"]) {
      expect(keys.has(`source_state.${state}`), state).toBe(true);
    }
  });

  it("Portuguese is actually translated (most texts differ from English)", () => {
    const keys = Object.keys(en) as (keyof typeof en)[];
    const same = keys.filter((k) => en[k] === ptBR[k]);
    expect(same.length / keys.length).toBeLessThan(0.25);
  });
});
