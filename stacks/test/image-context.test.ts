import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { BUILD_CONTEXT } from "../container-image";

const lines = (file: string) =>
  readFileSync(path.join(BUILD_CONTEXT, file), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));

describe("the API image's build context", () => {
  it("when the image is built, then .dockerignore admits exactly what the Dockerfile copies from the context, and each of those exists", () => {
    const [first, ...rules] = lines(".dockerignore");
    const admitted = rules.filter((rule) => rule.startsWith("!")).map((rule) => rule.slice(1));
    const copied = lines("Dockerfile")
      .filter((line) => /^COPY\s/.test(line) && !line.includes("--from="))
      .flatMap((line) => line.split(/\s+/).slice(1, -1));

    assert.equal(first, "*", "everything is left out unless admitted");
    assert.deepEqual([...new Set(copied)].sort(), admitted.filter((p) => p !== "Dockerfile").sort());
    for (const source of copied) assert.ok(existsSync(path.join(BUILD_CONTEXT, source)), `${source} exists in the context`);
  });
});
