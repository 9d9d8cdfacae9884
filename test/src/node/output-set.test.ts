import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Interrupted, type InterruptScope, pendingTemporaries } from "../../../src/node/interrupt.js";
import { MAX_CARRIED, OutputError, openOutputDir } from "../../../src/node/output-set.js";
import { contents, parent, removeParents } from "./helpers.js";

afterAll(removeParents);

const SET = ["plan.json", "plan.md", "last-mile-curve.csv"];

/** A scope that never sees Ctrl-C. */
const calm: InterruptScope = {
  requested: false,
  check() {},
  ready() {},
  critical: (fn) => fn(),
};

/** A pid no process has: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid ?? 999_999;
}

describe("an output directory written as one set", () => {
  it("creates the directory with the set, and leaves nothing beside it", async () => {
    const p = parent();
    const out = await openOutputDir("--out", join(p, "out"), "iovsim plan", SET);
    await out.commit(
      [
        { name: "plan.json", content: "{}" },
        { name: "plan.md", content: "# plan" },
      ],
      calm,
    );
    await out.release();
    expect(contents(join(p, "out"))).toEqual({ "plan.json": "{}", "plan.md": "# plan" });
    expect(readdirSync(p)).toEqual(["out"]);
    expect(pendingTemporaries()).toEqual([]);
  });

  it("replaces the command's old set whole: stale members go, other files stay", async () => {
    const p = parent();
    const dir = join(p, "out");
    mkdirSync(dir);
    writeFileSync(join(dir, "plan.json"), "old");
    writeFileSync(join(dir, "last-mile-curve.csv"), "old curve");
    writeFileSync(join(dir, "result.json"), "a run's result");
    writeFileSync(join(dir, "notes.txt"), "mine");
    const out = await openOutputDir("--out", dir, "iovsim plan", SET);
    await out.commit([{ name: "plan.json", content: "new" }], calm);
    await out.release();
    expect(contents(dir)).toEqual({ "notes.txt": "mine", "plan.json": "new", "result.json": "a run's result" });
    expect(readdirSync(p)).toEqual(["out"]);
  });

  it("keeps the old set when Ctrl-C comes while the new one is written", async () => {
    const p = parent();
    const dir = join(p, "out");
    mkdirSync(dir);
    writeFileSync(join(dir, "plan.json"), "old");
    writeFileSync(join(dir, "plan.md"), "old");
    const out = await openOutputDir("--out", dir, "iovsim plan", SET);
    let files = 0;
    const impatient: InterruptScope = {
      ...calm,
      check() {
        if (++files > 1) throw new Interrupted();
      },
    };
    await expect(
      out.commit(
        [
          { name: "plan.json", content: "new" },
          { name: "plan.md", content: "new" },
        ],
        impatient,
      ),
    ).rejects.toBeInstanceOf(Interrupted);
    await out.release();
    expect(contents(dir)).toEqual({ "plan.json": "old", "plan.md": "old" });
    expect(readdirSync(p)).toEqual(["out"]);
  });

  it("carries subdirectories over (another run's output inside), as hard links", async () => {
    const p = parent();
    const dir = join(p, "out");
    mkdirSync(join(dir, "run"), { recursive: true });
    writeFileSync(join(dir, "run", "result.json"), "a run inside");
    const out = await openOutputDir("--out", dir, "iovsim plan", SET);
    await out.commit([{ name: "plan.json", content: "new" }], calm);
    await out.release();
    expect(contents(dir)).toEqual({ "plan.json": "new", run: "(directory)" });
    expect(contents(join(dir, "run"))).toEqual({ "result.json": "a run inside" });
    expect(readdirSync(p)).toEqual(["out"]);
  });

  it("refuses a file, a missing parent, the current directory, and a directory too big to be an output", async () => {
    const p = parent();
    writeFileSync(join(p, "f"), "");
    mkdirSync(join(p, "big"));
    for (let i = 0; i <= MAX_CARRIED; i++) writeFileSync(join(p, "big", `f${i}`), "");
    const refusal = (dir: string) => openOutputDir("--out", dir, "iovsim plan", SET).then(() => "opened", String);
    expect(await refusal(join(p, "f"))).toBe(
      `Error: --out ${join(p, "f")}: exists and is not a directory; give a directory (it is created if absent)`,
    );
    expect(await refusal(join(p, "no", "out"))).toBe(
      `Error: --out ${join(p, "no", "out")}: the directory ${join(p, "no")} does not exist`,
    );
    expect(await refusal(".")).toContain("--out .: iovsim replaces its output directory as a whole");
    expect(await refusal("..")).toContain("--out ..: holds the current directory");
    expect(await refusal(join(p, "big"))).toContain(`holds more than ${MAX_CARRIED} files`);
    await expect(openOutputDir("--out", join(p, "f"), "x", SET)).rejects.toBeInstanceOf(OutputError);
    expect(readdirSync(p).sort()).toEqual(["big", "f"]);
  });

  it.skipIf(process.getuid?.() === 0)("refuses a parent it cannot write in", async () => {
    const p = parent();
    mkdirSync(join(p, "ro"), { mode: 0o555 });
    await expect(openOutputDir("--out", join(p, "ro", "out"), "x", SET)).rejects.toThrow(/cannot write in/);
  });
});

describe("the output lock", () => {
  it("makes a second writer refuse at once and name the holder, until the first releases it", async () => {
    const p = parent();
    const dir = join(p, "out");
    const first = await openOutputDir("--out", dir, "iovsim plan", SET);
    const lock = JSON.parse(readFileSync(join(p, ".out.iovsim-lock"), "utf8"));
    expect(lock).toMatchObject({ pid: process.pid, host: hostname(), command: "iovsim plan" });
    // Same process, so fake another holder: a live pid that is not ours (our parent).
    writeFileSync(join(p, ".out.iovsim-lock"), JSON.stringify({ ...lock, pid: process.ppid }));
    await expect(openOutputDir("--out", dir, "iovsim plan", SET)).rejects.toThrow(
      new RegExp(
        `--out ${dir}: in use by another iovsim \\(\`iovsim plan\`, pid ${process.ppid}, since .*\\); wait for it`,
      ),
    );
    writeFileSync(join(p, ".out.iovsim-lock"), JSON.stringify(lock));
    await first.release();
    expect(readdirSync(p)).toEqual([]);
    const second = await openOutputDir("--out", dir, "iovsim plan", SET);
    await second.release();
  });

  it("takes over a lock whose process is gone, and puts back a set a killed run had moved aside", async () => {
    const p = parent();
    const dead = deadPid();
    writeFileSync(
      join(p, ".out.iovsim-lock"),
      JSON.stringify({ pid: dead, host: hostname(), command: "iovsim plan", started: "then" }),
    );
    // Killed between its two renames: the old set aside, the new one complete but not in place.
    mkdirSync(join(p, `.out.${dead}.old.tmp`));
    writeFileSync(join(p, `.out.${dead}.old.tmp`, "plan.json"), "previous");
    mkdirSync(join(p, `.out.${dead}.new.tmp`));
    writeFileSync(join(p, `.out.${dead}.new.tmp`, "plan.json"), "never committed");
    const out = await openOutputDir("--out", join(p, "out"), "iovsim plan", SET);
    expect(readdirSync(p).sort()).toEqual([".out.iovsim-lock", "out"]);
    expect(contents(join(p, "out"))).toEqual({ "plan.json": "previous" });
    await out.release();
  });
});
