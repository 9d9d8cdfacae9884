/**
 * Fuzz cases: a seed (`seeds.ts`), mutated a few times (`mutations.ts`) —
 * types, ranges, numbers at and beyond the bounds, deletions, duplications,
 * reserved keys, self-loops, huge scalars, control characters, alias bombs — and
 * sent to the command that reads that kind of file. Runs are kept short (a 100 us
 * window and an event budget), so many thousands of cases fit in minutes.
 */

import fc from "fast-check";
import { stringify } from "yaml";
import { injectCertain, MUTATIONS, mutation, TEXT_CHANGES, textChange } from "./mutations.js";
import { type Command, SEEDS } from "./seeds.js";

export type { Command } from "./seeds.js";

export interface FuzzCase {
  readonly id: number;
  readonly seed: string;
  readonly command: Command;
  readonly file: string;
  readonly text: string;
  /** `expand --design`. */
  readonly design?: string;
  /** `run --max-events`, `--max-wall`: runs stay short whatever the mutations made of them. */
  readonly maxEvents?: number;
  readonly maxWall?: number;
  /** What was done to the seed, for the report of a failing case. */
  readonly mutations: readonly string[];
  /** The case holds something every command must refuse (a reserved key, a self-loop). */
  readonly mustRefuse: boolean;
}

// ---------------------------------------------------------------- cases

/** fast-check arbitrary of cases (ids are given by the runner). */
export const fuzzCase: fc.Arbitrary<Omit<FuzzCase, "id">> = fc
  .record({
    seed: fc.nat(SEEDS.length * 16),
    mutations: fc.oneof(
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
    ),
    // One case in eight gets something every command must refuse.
    certain: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
    text: fc.constantFrom(...TEXT_CHANGES),
    textPick: fc.nat(),
    command: fc.nat(),
    design: fc.constantFrom("traditional", "director", "ucs", "mriov"),
    json: fc.nat(9),
  })
  .map((r) => {
    // Topology seeds several times as often as the study and the catalog (they hold most of the input).
    const seed = SEEDS[r.seed % SEEDS.length]!;
    const value = structuredClone(seed.value);
    const done: string[] = [];
    for (const m of r.mutations) {
      const d = MUTATIONS[m.kind]!(value, m.pick, m.extra);
      if (d !== null) done.push(d);
    }
    let mustRefuse = false;
    if (r.certain !== null) {
      const d = injectCertain(value, r.certain);
      if (d !== null) {
        done.push(d);
        mustRefuse = true;
      }
    }
    let text = r.json === 0 ? JSON.stringify(value, null, 1) : stringify(value, { aliasDuplicateObjects: false });
    const [changed, what] = textChange(text, r.text, r.textPick);
    text = changed;
    if (what !== null) done.push(what);
    // A truncated file may have lost the reserved key or the self-loop: it need not be refused.
    if (r.text === "truncate") mustRefuse = false;
    const command = seed.commands[r.command % seed.commands.length]!;
    return {
      seed: seed.name,
      command,
      file: r.json === 0 ? seed.file.replace(/\.yaml$/, ".json") : seed.file,
      text,
      ...(command === "expand" ? { design: r.design } : {}),
      // The wall-clock budget well inside the pool's hang guard: re-routing after thousands of random
      // failures costs time, not events.
      ...(command === "run" ? { maxEvents: 300_000, maxWall: 30 } : {}),
      mutations: done,
      mustRefuse,
    };
  });
