import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { LocalPlatform, startLocalPlatform } from "../../../local/platform";
import { SesMailbox, startSesMailbox } from "../../../local/ses-mailbox";
import { eventually } from "../support/eventually";
import { startUnderTest, UnderTest } from "./support/platform-under-test";
import { countStatus, startRegistrationLoad } from "./support/registrations";
import { SesOutageSwitch, startSesOutageSwitch } from "./support/ses-outage-switch";

/** Lambda retries a failed invocation after about 1 and 2 minutes; here after 400 and 800 ms. */
const RETRY_DELAYS_MS: [number, number] = [400, 800];
/** Shorter than the retry window (1.2 s): every event gets an attempt after SES is back. */
const OUTAGE_MS = 700;

describe("faults: SES fails for a while", () => {
  let mailbox: SesMailbox;
  let ses: SesOutageSwitch;
  let underTest: UnderTest<LocalPlatform>;
  before(async () => {
    mailbox = await startSesMailbox();
    ses = await startSesOutageSwitch(mailbox.url);
    underTest = await startUnderTest(startLocalPlatform, { env: { AWS_ENDPOINT_URL_SES: ses.url }, mailbox, snsRetryDelaysMs: RETRY_DELAYS_MS });
  });
  after(async () => {
    await underTest?.remove();
    await ses?.stop();
    await mailbox?.stop();
  });

  it("when SES fails under load for less than the retry window, then the retries send each welcome email once and nothing is dead-lettered", async () => {
    const load = startRegistrationLoad(underTest.platform.api.url, { concurrency: 4, perSecond: 100 });
    await eventually(() => countStatus(load.answers, 201) >= 30, 10_000, "registrations before the outage");

    const answeredBefore = load.answers.length;
    ses.fail(true);
    await sleep(OUTAGE_MS);
    ses.fail(false);
    await eventually(() => countStatus(load.answers, 201) >= answeredBefore + 50, 10_000, "registrations after the outage");
    const answers = await load.stop();

    assert.ok(underTest.deliveries.failed() > 0 && ses.refused() > 0, "deliveries failed while SES was down");
    assert.equal(countStatus(answers, 201), answers.length, "registration does not depend on SES");
    const summary = await underTest.expectNothingLost(answers);
    assert.equal(summary.emails, answers.length);
  });
});
