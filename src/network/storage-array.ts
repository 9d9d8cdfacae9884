/**
 * A storage array's controllers: I/Os wait in one FIFO queue and `concurrency`
 * of them are served at once, each for a service time drawn per I/O from the
 * read or write distribution (flash vs disk presets below).
 *
 * Presets (rough, stated so they can be argued with): flash reads lognormal
 * mean 150 µs, cv 0.5; flash writes (acknowledged from controller cache)
 * lognormal mean 60 µs, cv 0.5; disk reads exponential mean 5 ms (seek +
 * rotation of a 10k-rpm drive); disk writes lognormal mean 500 µs (cache), cv 1.
 */
import type { Distribution } from "../../sim/distributions.js";
import { exponential, lognormalFromMean } from "../../sim/distributions.js";
import { Fifo } from "../../sim/fifo.js";
import type { Rng } from "../../sim/random.js";
import type { Simulation } from "../../sim/simulation.js";
import { secondsToTicks } from "../../sim/units.js";
import type { Message } from "../workload/message.js";
import { MAX_DELAY_TICKS } from "../workload/source.js";

const US = secondsToTicks(1e-6);

export function mediaPreset(media: "flash" | "disk"): { read: Distribution; write: Distribution } {
  return media === "flash"
    ? { read: lognormalFromMean(150 * US, 0.5), write: lognormalFromMean(60 * US, 0.5) }
    : { read: exponential(5000 * US), write: lognormalFromMean(500 * US, 1) };
}

export class StorageArray {
  private readonly waiting = new Fifo<Message>();
  private readonly inService = new Set<Message>();
  private readonly doneHandler: number;

  constructor(
    readonly name: string,
    private readonly sim: Simulation,
    private readonly concurrency: number,
    private readonly read: Distribution,
    private readonly write: Distribution,
    private readonly rng: Rng,
    /** Called when an I/O's service ends. */
    private readonly onServed: (msg: Message) => void,
  ) {
    this.doneHandler = sim.handler((msg: Message) => this.finish(msg), `array ${name}`);
  }

  /** An I/O's command (and write data) has arrived. */
  accept(msg: Message): void {
    if (this.inService.size < this.concurrency) this.begin(msg);
    else this.waiting.push(msg);
  }

  /** I/Os queued or in service (walked for the in-flight count). */
  forEach(fn: (msg: Message) => void): void {
    for (const m of this.waiting) fn(m);
    for (const m of this.inService) fn(m);
  }

  private begin(msg: Message): void {
    this.inService.add(msg);
    const d = msg.isRead ? this.read : this.write;
    // Capped like a source's arrivals (MAX_DELAY_TICKS): a draw past the run's end is "not served in the run".
    this.sim.post(Math.min(Math.max(1, Math.round(d.sample(this.rng))), MAX_DELAY_TICKS), this.doneHandler, msg);
  }

  private finish(msg: Message): void {
    this.inService.delete(msg);
    const next = this.waiting.shift();
    if (next !== undefined) this.begin(next);
    this.onServed(msg);
  }
}
