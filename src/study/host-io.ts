/**
 * A server's I/O as a study gives it: the group's, else the study's, else the 2010
 * baseline. Its own module so that the design generators, which read it, do not
 * import the study loader, which runs them. Browser-safe.
 */

import type { ETH_LINKS, FC_LINKS, HostIoSpec } from "./schema.js";

/** A server's own I/O, every part given (src/study/schema.ts `hostIoSchema`). */
export interface HostIo {
  readonly eth: { readonly ports: number; readonly link: (typeof ETH_LINKS)[number] };
  readonly fc: { readonly ports: number; readonly link: (typeof FC_LINKS)[number] };
}

/** Host I/O when neither the group nor the study gives it: 8 x 1GbE + 2 x 8G FC (the 2010 baseline). */
export const DEFAULT_HOST_IO: HostIo = { eth: { ports: 8, link: "eth-1g" }, fc: { ports: 2, link: "fc-8g" } };

/** A group's I/O: its own, else the study's, else the default, part by part. */
export function hostIo(group: HostIoSpec | undefined, study: HostIoSpec | undefined): HostIo {
  return {
    eth: group?.eth ?? study?.eth ?? DEFAULT_HOST_IO.eth,
    fc: group?.fc ?? study?.fc ?? DEFAULT_HOST_IO.fc,
  };
}
