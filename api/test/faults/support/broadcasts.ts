/**
 * Broadcasts on the local platform, before the admin API that records them exists on this branch:
 * the broadcast row is inserted as the API records it, and its `broadcast.launched` event is
 * published to the topic through the local SNS endpoint, as the API's relay publishes it (or, for
 * a platform in another process, put on the broadcast queue in SNS's envelope).
 */
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { Knex } from "knex";
import { MailboxEmail } from "../../../../local/aws/ses-endpoint";
import { LocalServices } from "../../../../local/platform";
import { BROADCAST_LAUNCHED } from "../../../../campaign/src/broadcasts/messages";
import { aBroadcast, BroadcastRow } from "../../../../campaign/test/support/broadcast-fixture";
import { Segment } from "../../../../shared/src/broadcast-audience";
import { randomUUID } from "node:crypto";

export { manyConsentingCustomers } from "../../../../campaign/test/support/broadcast-fixture";

/** Records a broadcast and publishes its launch to the platform's topic. */
export async function launchBroadcast(platform: LocalServices, db: Knex, segment: Segment): Promise<BroadcastRow> {
  const broadcast = await aBroadcast(db, { segment });
  const sns = new SNSClient({ region: "us-east-1", endpoint: platform.sns.url, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  try {
    const event = { event_id: randomUUID(), event_type: BROADCAST_LAUNCHED, schema_version: 1, occurred_at: new Date().toISOString(), broadcast_id: broadcast.id };
    await sns.send(
      new PublishCommand({
        TopicArn: platform.apiConfig.snsTopicArn,
        Message: JSON.stringify(event),
        MessageAttributes: { event_type: { DataType: "String", StringValue: BROADCAST_LAUNCHED } },
      }),
    );
  } finally {
    sns.destroy();
  }
  return broadcast;
}

/**
 * Every recipient of the broadcast was sent exactly one email, the one recorded; `allowSecond`
 * recipients may have a second (the crash window: SES accepted it, the record was lost).
 * Returns how many had two.
 */
export async function expectOneEmailPerRecipient(db: Knex, broadcastId: string, emails: MailboxEmail[], allowSecond = 0): Promise<number> {
  const recipients: { email: string; status: string; ses_message_id: string | null }[] = await db("broadcast_deliveries as d")
    .join("customers as c", "c.id", "d.customer_id")
    .where("d.broadcast_id", broadcastId)
    .select("c.email", "d.status", "d.ses_message_id");
  const received = new Map<string, string[]>();
  for (const e of emails) received.set(e.destination.to[0], [...(received.get(e.destination.to[0]) ?? []), e.messageId]);
  const problems: string[] = [];
  let twice = 0;
  for (const r of recipients) {
    const ids = received.get(r.email) ?? [];
    if (r.status !== "sent") problems.push(`${r.email}: delivery ${r.status}`);
    else if (!ids.includes(r.ses_message_id!)) problems.push(`${r.email}: the recorded email is not in the mailbox (${ids.length} received)`);
    if (ids.length === 2) twice++;
    else if (ids.length !== 1) problems.push(`${r.email}: ${ids.length} emails`);
  }
  if (twice > allowSecond) problems.push(`${twice} recipients got a second email (at most ${allowSecond} allowed)`);
  if (problems.length) throw new Error(`${problems.length} problem(s):\n  ${problems.slice(0, 20).join("\n  ")}`);
  return twice;
}
