import { MailboxEmail, SesEndpoint } from "../../../../local/aws/ses-endpoint";

/**
 * The emails a mailbox receives from now on. Mailboxes in one process share their store and its
 * clock counts whole seconds, so what was already there in this second is remembered and left out.
 */
export async function mailboxWatch(mailbox: SesEndpoint): Promise<{ received(): Promise<MailboxEmail[]> }> {
  const since = Math.floor(Date.now() / 1000);
  const before = new Set((await mailbox.emailsSince(since)).map((e) => e.messageId));
  return {
    received: async () => (await mailbox.emailsSince(since)).filter((e) => !before.has(e.messageId)),
  };
}
