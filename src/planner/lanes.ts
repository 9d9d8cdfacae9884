/**
 * A few pieces of work at a time: `run(i)` for every i in [0, count), started in
 * order, at most `width` running at once (each lane takes the next index when its
 * last ends). The first failure stops new starts and is thrown once the running
 * ones end. Used where each piece holds much memory until it ends (a site size's
 * search, a sweep point's plan) and a few side by side keep the workers busy;
 * each piece's answer depends only on its own jobs, so the width changes nothing.
 */
export async function inLanes(count: number, width: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (next < count && !failed) {
      try {
        await run(next++);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const lanes = Array.from({ length: Math.min(Math.max(1, width), count) }, lane);
  // Every lane's failure is awaited below; the first one is what Promise.all throws.
  for (const l of lanes) l.catch(() => {});
  await Promise.all(lanes);
}
