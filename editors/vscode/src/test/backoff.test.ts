import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { Backoff } from "../backoff";

describe("Backoff", () => {
  const options = { initialMs: 1000, maxMs: 5000, maxCrashes: 4, windowMs: 60000 };

  it("doubles the delay up to the cap, then gives up", () => {
    let now = 0;
    const backoff = new Backoff(options, () => now);
    const decisions = [1, 2, 3, 4, 5].map(() => {
      now += 100;
      return backoff.crashed();
    });
    assert.deepEqual(decisions, [
      { restartAfterMs: 1000 },
      { restartAfterMs: 2000 },
      { restartAfterMs: 4000 },
      { restartAfterMs: 5000 },
      { giveUp: "the server crashed 5 times in 1 minutes; not restarting it" },
    ]);
  });

  it("forgets crashes outside the window and after a reset", () => {
    let now = 0;
    const backoff = new Backoff(options, () => now);
    backoff.crashed();
    backoff.crashed();
    now = 60000;
    assert.deepEqual(backoff.crashed(), { restartAfterMs: 1000 });
    backoff.reset();
    assert.deepEqual(backoff.crashed(), { restartAfterMs: 1000 });
  });
});
