import assert from "node:assert/strict";
import pino from "pino";
import { createLogger, maskEmail } from "../src/logger";

/** Runs `log` against the platform logger with stdout captured, and returns what was written. */
function captured(log: (logger: pino.Logger) => void): string {
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += chunk.toString()), true)) as typeof process.stdout.write;
  try {
    log(createLogger({ level: "info", service: "test", env: "local" }));
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe("logger", () => {
  it("when a PostgreSQL error quoting the failing row is logged, then the row's email and phone are not in the log", () => {
    const err = Object.assign(new Error('null value in column "city" violates not-null constraint'), {
      code: "23502",
      detail: "Failing row contains (jane.doe@example.com, +14165550100, null).",
    });

    const out = captured((logger) => logger.error({ err }, "request failed"));

    assert.match(out, /violates not-null constraint/);
    assert.doesNotMatch(out, /jane\.doe@example\.com|4165550100/);
  });

  it("when an email is masked, then only its first letter and domain remain", () => {
    assert.equal(maskEmail("jane.doe@example.com"), "j***@example.com");
  });
});
