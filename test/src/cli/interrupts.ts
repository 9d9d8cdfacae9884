import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { Rng, streamSeed } from "../../../sim/random.js";
import { SMALL_STUDY, spawnCli, tempDir } from "./helpers.js";

/** The previous plan in the output directory: every file of plan's set, each marked "old", and a user's file. */
const OLD_SET = ["last-mile-curve.csv", "plan-sla.csv", "plan.csv", "plan.json", "plan.md", "report.html"];
/** What `plan --no-curve` writes (no curve file: the old one must go with the old set). */
const NEW_SET = ["plan-sla.csv", "plan.csv", "plan.json", "plan.md", "report.html"];
const NOTES = "notes.txt";

function plantOldSet(dir: string): void {
  mkdirSync(dir);
  for (const f of OLD_SET) writeFileSync(join(dir, f), `old ${f}\n`);
  writeFileSync(join(dir, NOTES), "the user's own file\n");
}

type Found = "old" | "new";

/** Which complete set the directory holds; fails the test on a mix, a partial set or a leftover. */
function completeSet(parent: string, dir: string): Found {
  expect(readdirSync(parent), "nothing but the output directory beside it: no temporary, no lock").toEqual(["out"]);
  const names = readdirSync(dir).sort();
  const files = names.filter((n) => n !== NOTES);
  expect(names).toContain(NOTES);
  expect(readFileSync(join(dir, NOTES), "utf8")).toBe("the user's own file\n");
  const old = files.map((f) => readFileSync(join(dir, f), "utf8") === `old ${f}\n`);
  if (old.every(Boolean)) {
    expect(files).toEqual(OLD_SET);
    return "old";
  }
  expect(old.some(Boolean), `no file of the old set beside the new one: ${files.join(", ")}`).toBe(false);
  expect(files).toEqual(NEW_SET);
  const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")) as { study: string; wallSeconds: number };
  expect(plan.study).toBe("small");
  // The report embeds the very plan.json beside it.
  const html = readFileSync(join(dir, "report.html"), "utf8");
  expect(html).toContain('id="iovsim-plan"');
  expect(html).toContain(`"wallSeconds":${plan.wallSeconds}`);
  return "new";
}

/** The small study with two of its designs: the same code path, half the work per try. */
function twoDesigns(): string {
  const text = readFileSync(SMALL_STUDY, "utf8").replace(/^ {2}(traditional|director):\n(?: {4,}.*\n)+/gm, "");
  const file = join(tempDir("iovsim-int-"), "two-designs.yaml");
  writeFileSync(file, text);
  return file;
}

let args: string[] = [];

/** Seconds from each ready line to the next stage in one run that is not interrupted. */
async function calibrate(): Promise<{ plan: number; write: number }> {
  // --no-fail-on-miss: the exit code is about interruption here, not about the small study's
  // verdicts (its 2-ms windows are too short for Wilson intervals to confirm a 1 % loss target).
  args = ["plan", twoDesigns(), "--no-curve", "--workers", "0", "--replications", "2", "--no-fail-on-miss"];
  const parent = tempDir("iovsim-int-");
  const run = spawnCli([...args, "--out", join(parent, "out")]);
  await run.ready("plan");
  const t0 = performance.now();
  await run.ready("write");
  const t1 = performance.now();
  const { code } = await run.exit;
  expect(code).toBe(0);
  return { plan: (t1 - t0) / 1000, write: (performance.now() - t1) / 1000 };
}

/**
 * Interrupts `plan` `tries` times at seeded random points — half while it plans, half
 * while it writes its files — each into a directory holding an earlier set, and checks
 * that every try leaves the complete old set or the complete new one: never a mix, a
 * partial set, a temporary or the lock. Timing decides only which of the two it finds.
 */
export async function interruptAtRandom(tries: number, seed: number): Promise<Record<Found, number>> {
  const times = await calibrate();
  const rng = new Rng(streamSeed(seed, 0, "interrupts"));
  const found: Record<Found, number> = { old: 0, new: 0 };
  for (let i = 0; i < tries; i++) {
    const parent = tempDir("iovsim-int-");
    const dir = join(parent, "out");
    plantOldSet(dir);
    const stage = i % 2 === 0 ? "plan" : "write";
    const window = stage === "plan" ? times.plan : times.write * 1.5 + 0.005;
    const delay = rng.random() * window * 1000;
    const run = spawnCli([...args, "--out", dir]);
    await run.ready(stage).catch(() => {});
    await new Promise((r) => setTimeout(r, delay));
    run.child.kill("SIGINT");
    const { code, signal } = await run.exit;
    const how = `try ${i} (${stage} + ${delay.toFixed(0)} ms): exit ${code} ${signal ?? ""}\n${run.stderr()}`;
    expect(run.stderr(), how).not.toMatch(/internal error|^\s+at /m);
    const got = completeSet(parent, dir);
    // 130: stopped before the commit, the old set stays. 0: the signal came during the commit
    // (which finishes) or after it; killed by SIGINT: after the command had returned.
    if (code === 130) expect(got, how).toBe("old");
    else if (code === 0 || signal === "SIGINT") expect(got, how).toBe("new");
    else expect.fail(how);
    found[got]++;
  }
  return found;
}
