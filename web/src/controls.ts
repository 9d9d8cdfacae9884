/** Run / pause / step / reset buttons and the speed, seed, duration and step inputs. */
import { parseTime } from "../../sim/units.js";
import { byId } from "./dom.js";
import type { Speed } from "./protocol.js";

export interface ControlActions {
  run(): void;
  pause(): void;
  /** Advance by `ticks` of simulated time. */
  step(ticks: number): void;
  reset(): void;
  speed(speed: Speed): void;
}

export class Controls {
  private readonly runButton = byId<HTMLButtonElement>("run");
  private readonly pauseButton = byId<HTMLButtonElement>("pause");
  private readonly stepButton = byId<HTMLButtonElement>("step");
  private readonly speedSelect = byId<HTMLSelectElement>("speed");
  private readonly seedInput = byId<HTMLInputElement>("seed");
  private readonly durationInput = byId<HTMLInputElement>("duration");
  private readonly stepInput = byId<HTMLInputElement>("step-size");

  constructor(actions: ControlActions) {
    this.runButton.addEventListener("click", () => actions.run());
    this.pauseButton.addEventListener("click", () => actions.pause());
    this.stepButton.addEventListener("click", () => {
      const ticks = this.ticks(this.stepInput);
      if (ticks !== null && ticks > 0) actions.step(ticks);
    });
    byId("reset").addEventListener("click", () => actions.reset());
    this.speedSelect.addEventListener("change", () => actions.speed(this.speed()));
    for (const input of [this.durationInput, this.stepInput]) input.addEventListener("input", () => this.ticks(input));
  }

  /** Enables the buttons that make sense in `state`. */
  set(state: "loaded" | "running" | "paused" | "done"): void {
    this.runButton.disabled = state === "running";
    this.runButton.textContent = state === "paused" ? "Resume" : state === "done" ? "Run again" : "Run";
    this.pauseButton.disabled = state !== "running";
    this.stepButton.disabled = state === "running";
  }

  speed(): Speed {
    const v = this.speedSelect.value;
    return v === "max" ? null : Number(v);
  }

  setSeed(seed: number): void {
    this.seedInput.value = String(seed);
  }

  seed(fallback: number): number {
    const v = Number(this.seedInput.value);
    return this.seedInput.value.trim() !== "" && Number.isSafeInteger(v) && v >= 0 ? v : fallback;
  }

  setDuration(text: string): void {
    this.durationInput.value = text;
  }

  /** The duration override in ticks, or null for the file's. */
  durationTicks(): number | null {
    return this.durationInput.value.trim() === "" ? null : this.ticks(this.durationInput);
  }

  /** Parses a time input ("100us"), marking it invalid (and returning null) when it does not parse. */
  private ticks(input: HTMLInputElement): number | null {
    const text = input.value.trim();
    if (text === "") {
      input.setCustomValidity("");
      return null;
    }
    try {
      const t = parseTime(text);
      if (!(t > 0)) throw new Error("must be longer than 0");
      input.setCustomValidity("");
      return t;
    } catch (err) {
      input.setCustomValidity(err instanceof Error ? err.message : String(err));
      input.reportValidity();
      return null;
    }
  }
}
