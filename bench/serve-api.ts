/**
 * The API in a process of its own, started by `startApi` as main.ts starts it, so its CPU and
 * memory are its own and not the load generator's. Its relay publishes with the real SNS client
 * to AWS_ENDPOINT_URL_SNS (the bench's SNS stand-in). Driven over IPC: it sends `{ url }` once
 * listening; on "stop" it answers `{ maxRssKb, cpuMs }` and shuts down. The bench's database is
 * fresh and reached as its owner: migrated first, as a deploy's migration step does.
 */
import { loadApiConfig } from "../shared/src/config";
import { createDatabase } from "../shared/src/database";
import { createLogger } from "../shared/src/logger";
import { startApi } from "../api/src/main";
import { migrateToLatest } from "../api/src/migrate";

async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const owner = createDatabase(config.database, { region: config.awsRegion, logger: createLogger({ level: "warn", service: "bench", env: config.appEnv }) });
  await migrateToLatest(owner).finally(() => owner.destroy());
  const api = await startApi(config);
  process.send!({ url: api.url });
  process.once("message", async () => {
    const { maxRSS, userCPUTime, systemCPUTime } = process.resourceUsage();
    await api.stop();
    process.send!({ maxRssKb: maxRSS, cpuMs: (userCPUTime + systemCPUTime) / 1000 }, () => process.disconnect());
  });
}

main().catch((err) => {
  process.stderr.write(`bench API failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
