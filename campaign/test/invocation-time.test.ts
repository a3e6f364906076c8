import assert from "node:assert/strict";
import { once } from "node:events";
import { invocationTime } from "../src/invocation-time";

describe("an invocation's time (when sends start, when SES calls are cut off)", () => {
  // Lambda reports whole milliseconds, rarely round ones: four fifths of them is no whole number.
  it("when Lambda says 999 ms are left, then sends start in the first half and SES calls are cut off at four fifths", async () => {
    const started = Date.now();

    const time = invocationTime({ getRemainingTimeInMillis: () => 999 });
    await once(time.cutoff, "abort");

    assert.ok(Math.abs(time.startBy - (started + 499.5)) <= 5, `sends start until ${time.startBy - started} ms`);
    const cutAfter = Date.now() - started;
    assert.ok(cutAfter >= 798 && cutAfter < 999, `cut off after ${cutAfter} ms`);
  });
});
