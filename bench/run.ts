/**
 * `npm run bench`: every benchmark, one after the other (they share the machine's two cores, so
 * never at once). Benchmarks that other work adds are found by file name and run through their
 * exported `main`, so this file runs whether or not they exist yet.
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { existsSync } from "node:fs";
import path from "node:path";
import { benchRegistration } from "./registration";
import { benchRelayThroughput } from "./relay-throughput";
import { benchWelcomeBurst } from "./welcome-burst";
import { benchWelcomeLatency } from "./welcome-latency";

const OPTIONAL_BENCHES = ["campaign-cold-start", "broadcast"];

async function main(): Promise<void> {
  await benchRegistration();
  await benchRelayThroughput();
  await benchWelcomeLatency();
  await benchWelcomeBurst();
  for (const name of OPTIONAL_BENCHES) {
    const file = path.join(__dirname, `${name}.ts`);
    if (!existsSync(file)) {
      console.log(`(${name}: not there yet, skipped)`);
      continue;
    }
    const bench = (await import(file)) as { main?: () => Promise<unknown> };
    if (typeof bench.main !== "function") throw new Error(`bench/${name}.ts exports no main()`);
    await bench.main();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
