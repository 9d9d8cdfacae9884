import { describe, expect, it } from "vitest";
import type { PoolTask } from "../../../src/node/evaluator-worker.js";
import { decodeAnswer, decodeTask, encodeAnswer, encodeTask } from "../../../src/node/queue-codec.js";
import { VERSION } from "../../../src/version.js";

const task: PoolTask = { kind: "flow", job: { yaml: "name: x\n", file: "x.yaml", survive: true } };

describe("the queue's codec", () => {
  it("carries a task and an answer through, with what JSON would lose", () => {
    expect(decodeTask(encodeTask(task))).toEqual(task);
    const answer = { rates: new Map([["a", Number.POSITIVE_INFINITY]]), missing: Number.NaN };
    expect(decodeAnswer(encodeAnswer(answer))).toEqual(answer);
  });

  it("refuses a job of another iovsim version, and one that is not an iovsim job, saying why", () => {
    const other = { ...encodeTask(task), iovsim: "0.0.0-other" };
    expect(decodeTask(other)).toBe(
      `job from iovsim 0.0.0-other but this worker is iovsim ${VERSION}: run the same version on the planner and the workers`,
    );
    expect(decodeTask({ name: "someone else's job" })).toBe("not an iovsim job (expected { iovsim, task })");
    expect(() => decodeAnswer(42)).toThrow("a queue worker answered without an iovsim result");
  });
});
