/**
 * `npm run bench`: every benchmark, one after the other (they share the machine's two cores, so
 * never at once).
 */
/* eslint-disable no-console -- a benchmark prints its figures */
import { benchBroadcast } from "./broadcast";
import { main as benchCampaignColdStart } from "./campaign-cold-start";
import { benchRegistration } from "./registration";
import { benchRelayThroughput } from "./relay-throughput";
import { benchWelcomeBurst } from "./welcome-burst";
import { benchWelcomeLatency } from "./welcome-latency";

async function main(): Promise<void> {
  await benchRegistration();
  await benchRelayThroughput();
  await benchWelcomeLatency();
  await benchWelcomeBurst();
  await benchCampaignColdStart();
  await benchBroadcast();
}

main().then(
  () => process.exit(0), // the broadcast bench's SES child has been told to stop; nothing else is left to wait for
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
