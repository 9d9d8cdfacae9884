/**
 * Run / Pause / Step / Reset / Replay and the speed, seed, duration and step inputs.
 * A bad Seed ("1.5") or Duration ("abc") is refused with a message next to the
 * controls (the field marked invalid, focus moved to it); the page never runs
 * something other than what the fields say.
 */
import { parseTime } from "../../sim/units.js";
import { byId } from "./dom.js";
import { DEFAULT_SPEED, type Speed } from "./protocol.js";

export interface ControlActions {
  run(): void;
  pause(): void;
  /** Advance by `ticks` of simulated time. */
  step(ticks: number): void;
  reset(): void;
  /** Run the finished run again, the same seed and faults, at a watchable speed. */
  replay(): void;
  speed(speed: Speed): void;
}

export { DEFAULT_SPEED };

export class Controls {
  private readonly runButton = byId<HTMLButtonElement>("run");
  private readonly pauseButton = byId<HTMLButtonElement>("pause");
  private readonly stepButton = byId<HTMLButtonElement>("step");
  private readonly replayButton = byId<HTMLButtonElement>("replay");
  private readonly speedSelect = byId<HTMLSelectElement>("speed");
  private readonly seedInput = byId<HTMLInputElement>("seed");
  private readonly durationInput = byId<HTMLInputElement>("duration");
  private readonly stepInput = byId<HTMLInputElement>("step-size");
  private readonly error = byId("input-error");

  constructor(actions: ControlActions) {
    this.speedSelect.value = String(DEFAULT_SPEED);
    this.runButton.addEventListener("click", () => {
      if (this.check([this.seedInput, this.durationInput])) actions.run();
    });
    this.pauseButton.addEventListener("click", () => actions.pause());
    this.stepButton.addEventListener("click", () => {
      if (!this.check([this.seedInput, this.durationInput, this.stepInput])) return;
      const ticks = this.time(this.stepInput);
      if (ticks !== null) actions.step(ticks);
    });
    this.replayButton.addEventListener("click", () => actions.replay());
    byId("reset").addEventListener("click", () => {
      if (this.check([this.seedInput, this.durationInput])) actions.reset();
    });
    this.speedSelect.addEventListener("change", () => actions.speed(this.speed()));
    for (const input of [this.seedInput, this.durationInput, this.stepInput])
      input.addEventListener("input", () => {
        // Clear a message once its field is fixed; do not nag while typing.
        if (input.getAttribute("aria-invalid") === "true" && this.problem(input) === null) this.mark(input, null);
      });
  }

  /** Enables the buttons that make sense in `state`. */
  set(state: "loaded" | "running" | "paused" | "done"): void {
    this.runButton.disabled = state === "running";
    this.runButton.textContent = state === "paused" ? "Resume" : state === "done" ? "Run again" : "Run";
    this.pauseButton.disabled = state !== "running";
    this.stepButton.disabled = state === "running";
    this.replayButton.hidden = state !== "done";
  }

  speed(): Speed {
    const v = this.speedSelect.value;
    return v === "max" ? null : Number(v);
  }

  setSpeed(speed: Speed): void {
    this.speedSelect.value = speed === null ? "max" : String(speed);
  }

  setSeed(seed: number): void {
    this.seedInput.value = String(seed);
  }

  /** The seed field's value, or `fallback` when it is empty (call `check` first). */
  seed(fallback: number): number {
    const v = this.seedInput.value.trim();
    return v === "" ? fallback : Number(v);
  }

  setDuration(text: string): void {
    this.durationInput.value = text;
  }

  /** The duration override in ticks, or null for the file's (call `check` first). */
  durationTicks(): number | null {
    return this.time(this.durationInput);
  }

  /** True when every field is valid; otherwise shows the first problem and focuses its field. */
  check(inputs: readonly HTMLInputElement[] = [this.seedInput, this.durationInput, this.stepInput]): boolean {
    let first: HTMLInputElement | null = null;
    for (const input of inputs) {
      const problem = this.problem(input);
      this.mark(input, problem);
      if (problem !== null && first === null) first = input;
    }
    if (first !== null) first.focus();
    return first === null;
  }

  private problem(input: HTMLInputElement): string | null {
    const text = input.value.trim();
    if (input === this.seedInput) {
      if (text === "") return null;
      const v = Number(text);
      return /^\d+$/.test(text) && Number.isSafeInteger(v)
        ? null
        : `Seed "${text}" refused: a whole number from 0 up (e.g. 7), or empty for the file's seed.`;
    }
    if (text === "") return input === this.stepInput ? "Step: give a time such as 100us." : null;
    const name = input === this.durationInput ? "Duration" : "Step";
    try {
      if (!(parseTime(text) > 0)) return `${name} "${text}" refused: it must be longer than 0.`;
      return null;
    } catch (err) {
      return `${name} "${text}" refused: ${err instanceof Error ? err.message : String(err)} (e.g. 20ms, 500us).`;
    }
  }

  private mark(input: HTMLInputElement, problem: string | null): void {
    input.setAttribute("aria-invalid", String(problem !== null));
    const others = [this.seedInput, this.durationInput, this.stepInput].filter(
      (i) => i !== input && i.getAttribute("aria-invalid") === "true",
    );
    if (problem !== null) {
      this.error.textContent = problem;
      this.error.hidden = false;
    } else if (others.length === 0) {
      this.error.textContent = "";
      this.error.hidden = true;
    }
  }

  private time(input: HTMLInputElement): number | null {
    const text = input.value.trim();
    if (text === "") return null;
    try {
      const t = parseTime(text);
      return t > 0 ? t : null;
    } catch {
      return null;
    }
  }
}
