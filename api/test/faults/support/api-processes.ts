import { ApiProcess, spawnApi } from "../../support/api-process";
import { testApiEnv } from "../../support/running-api";

/**
 * API processes as deployed (`main.ts`, its own relay) on one database, publishing with the real
 * SNS client to an SNS endpoint (see sns-endpoint.ts). `killAll` ends those still running.
 */
export function apiProcesses(databaseUrl: string) {
  const started: ApiProcess[] = [];
  return {
    async start(snsUrl: string, env: Record<string, string> = {}): Promise<ApiProcess> {
      const api = await spawnApi(
        testApiEnv(databaseUrl, {
          LOG_LEVEL: "info", // spawnApi waits for the "listening" line
          AWS_ENDPOINT_URL_SNS: snsUrl,
          AWS_ACCESS_KEY_ID: "local",
          AWS_SECRET_ACCESS_KEY: "local",
          RATE_LIMIT_PER_CLIENT: "1000000000", // the load comes from one address
          RATE_LIMIT_REGISTRATIONS_PER_CLIENT: "1000000000",
          OUTBOX_SWEEP_INTERVAL_MS: "200",
          ...env,
        }),
      );
      started.push(api);
      return api;
    },
    async killAll(): Promise<void> {
      for (const api of started) {
        if (api.child.exitCode === null && api.child.signalCode === null) api.child.kill("SIGKILL");
        await api.exited;
      }
    },
  };
}
