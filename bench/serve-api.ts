/**
 * The API in a process of its own, started by `startApi` as main.ts starts it, so its CPU and
 * memory are its own and not the load generator's. Driven over IPC by bench/registration.ts:
 * it sends `{ url }` once listening; on "stop" it answers `{ maxRssKb }` and shuts down.
 */
import { loadApiConfig } from "../shared/src/config";
import { startApi } from "../api/src/main";

async function main(): Promise<void> {
  // SNS has no endpoint here: events are accepted at once, so the relay still reads and marks the
  // outbox as in production, minus SNS's network round trip (which never delays a response).
  const api = await startApi(loadApiConfig(process.env), { publisher: { publish: async () => undefined } });
  process.send!({ url: api.url });
  process.once("message", async () => {
    const { maxRSS } = process.resourceUsage();
    await api.stop();
    process.send!({ maxRssKb: maxRSS }, () => process.disconnect());
  });
}

main().catch((err) => {
  process.stderr.write(`bench API failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
