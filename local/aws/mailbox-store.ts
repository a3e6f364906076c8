/**
 * What the local SES mailbox holds, kept in a file. `aws-ses-v2-local` keeps its emails in a
 * module-level array (its `store` module, shared by every endpoint in a process): accepted emails
 * are appended from it to a JSON-lines file before SES answers, and on start the file's emails are
 * put back into it, so the mailbox page and `/store` show them again after a crash, under the same
 * message ids. A file rather than the platform's database: SES does not go down with RDS.
 */
import { appendFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
// No exports map in the package: its store module is how to reach the emails it holds.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getStoreReadonly } = require("aws-ses-v2-local/dist/store") as { getStoreReadonly(): { emails: MailboxEmail[] } };

/** An email as the mailbox stores it (`GET /store`). */
export interface MailboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  /** Seconds since the epoch. */
  at: number;
}

export interface MailboxStore {
  /** Keeps the email the mailbox accepted under `messageId`. */
  keep(messageId: string): Promise<void>;
  emails(): MailboxEmail[];
}

export async function mailboxStore(file?: string): Promise<MailboxStore> {
  const memory = getStoreReadonly();
  if (file) {
    await mkdir(path.dirname(file), { recursive: true });
    const kept = (await readFile(file, "utf8").catch(() => "")).split("\n").filter(Boolean);
    const known = new Set(memory.emails.map((e) => e.messageId));
    // A line cut short by a crash mid-write was never acknowledged: SES's client sent it again.
    const emails = kept.flatMap((line) => {
      try {
        return [JSON.parse(line) as MailboxEmail];
      } catch {
        return [];
      }
    });
    memory.emails.push(...emails.filter((e) => !known.has(e.messageId)));
    memory.emails.sort((a, b) => a.at - b.at);
  }
  let writes = Promise.resolve(); // one append at a time: lines never interleave
  return {
    keep(messageId) {
      if (!file) return Promise.resolve();
      let email: MailboxEmail | undefined;
      for (let i = memory.emails.length - 1; i >= 0 && !email; i--) if (memory.emails[i].messageId === messageId) email = memory.emails[i]; // just added: near the end
      if (!email) return Promise.resolve();
      const line = `${JSON.stringify(email)}\n`;
      writes = writes.then(() => appendFile(file, line));
      return writes;
    },
    emails: () => [...memory.emails],
  };
}
