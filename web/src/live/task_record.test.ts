import { describe, expect, it } from "vitest";
import { applyEvent, applySnapshot, elapsedSeconds, newTaskRecord, statusFromSnapshot } from "./task_record";

const request = { latitude: -22.7, longitude: -47.6, start_date: "2024-01-01", end_date: "2024-01-07" };

describe("task record", () => {
  it("follows progress to success", () => {
    let r = newTaskRecord("t", request, 1000);
    expect(r.status).toBe("queued");
    r = applyEvent(r, { type: "PROGRESS", task_id: "t", seq: 1, ts: "", data: { step: "elevation", progress: 14, current_step: 2, total_steps: 7, sources: [{ source: "nasa_power", state: "pending" }] } }, 1100);
    expect(r).toMatchObject({ status: "processing", progress: 14, step: "elevation", current_step: 2, last_seq: 1 });
    expect(r.sources).toHaveLength(1);
    r = applyEvent(r, { type: "SUCCESS", task_id: "t", seq: 2, ts: "", data: { results: [{ date: "2024-01-01" }], warnings: ["w"] } }, 2000);
    expect(r).toMatchObject({ status: "success", progress: 100, finished_at_ms: 2000 });
    expect(r.result?.results).toHaveLength(1);
    expect(r.result?.warnings).toEqual([{ code: "", params: {}, message: "w" }]);
  });

  it("takes how long a task took from the server's times, also after a reload", () => {
    let r = newTaskRecord("t", request, 50_000);
    r = applyEvent(r, { type: "PROGRESS", task_id: "t", seq: 1, ts: "2024-01-08T10:00:00.000Z", data: { step: "validating", current_step: 1 } }, 51_000);
    expect(elapsedSeconds(r, 53_000)).toBe(3);
    r = applyEvent(r, { type: "ERROR", task_id: "t", seq: 2, ts: "2024-01-08T10:00:12.500Z", data: { error: "x", error_code: "unavailable" } }, 99_000);
    expect(elapsedSeconds(r, 200_000)).toBe(12.5);
    expect(r.current_step).toBe(1);
    const restored = applySnapshot(
      { ...newTaskRecord("t", request, 0), status: "restoring" },
      { status: "success", created_at: "2024-01-08T10:00:00.000Z", finished_at: "2024-01-08T10:00:07.000Z", result: { results: [] } },
      999_999,
    );
    expect(elapsedSeconds(restored, 1_000_000)).toBe(7);
    const unknownStart = applySnapshot({ ...newTaskRecord("t", request, 0), status: "restoring" }, { status: "error", finished_at: "2024-01-08T10:00:07.000Z" }, 5);
    expect(elapsedSeconds(unknownStart, 10)).toBeNull();
  });

  it("keeps the first terminal state", () => {
    let r = newTaskRecord("t", request, 0);
    r = applyEvent(r, { type: "ERROR", task_id: "t", seq: 1, ts: "", data: { error: "no data", error_code: "upstream" } }, 5);
    expect(r).toMatchObject({ status: "error", error_message: "no data", error_code: "upstream" });
    r = applyEvent(r, { type: "SUCCESS", task_id: "t", seq: 2, ts: "", data: {} }, 6);
    expect(r.status).toBe("error");
  });

  it("maps snapshot states", () => {
    expect(statusFromSnapshot("running")).toBe("processing");
    expect(statusFromSnapshot("succeeded")).toBe("success");
    expect(statusFromSnapshot("FAILED")).toBe("error");
    expect(statusFromSnapshot("canceled")).toBe("cancelled");
    const r = applySnapshot(newTaskRecord("t", request, 0), { state: "success", result: { results: [] } }, 9);
    expect(r).toMatchObject({ status: "success", progress: 100, finished_at_ms: 9 });
  });
});

describe("result rows", () => {
  it("accepts the rows as `results` (issue 4) or `days` (pipeline::to_json)", () => {
    const base = newTaskRecord("t", request, 0);
    for (const key of ["results", "days"]) {
      const r = applyEvent(base, { type: "SUCCESS", task_id: "t", seq: 1, ts: "", data: { [key]: [{ date: "2024-01-01" }, { date: "2024-01-02" }] } }, 1);
      expect(r.result?.results.map((d) => d.date)).toEqual(["2024-01-01", "2024-01-02"]);
    }
  });
});
