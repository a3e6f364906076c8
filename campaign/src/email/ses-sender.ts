import { SendRawEmailCommand, SESClient } from "@aws-sdk/client-ses";
import { AppError } from "../../../shared/src/app-error";
import { boundedRequests } from "../../../shared/src/aws-requests";
import { buildMimeMessage, OutgoingEmail } from "./mime-message";

const SEND_COMMANDS = new Set(["SendRawEmailCommand", "SendEmailCommand"]);

/**
 * The SES client. Without an explicit endpoint the SDK honours AWS_ENDPOINT_URL_SES, which is how
 * the local platform and the tests point this same code at the local SES mailbox. With a
 * configuration set, every email sent through the client names it (unless the command names one
 * itself): SES publishes bounces and complaints only for sends that do, so no sender can forget it.
 */
export function createSesClient(region: string, options: { configurationSet?: string } = {}): SESClient {
  const client = new SESClient({
    region,
    // Bounded: a hung call must fail (and be retried by the queue) well within the Lambda timeout.
    requestHandler: boundedRequests,
    // A `Throttling` answer is retried after a backoff (0.5 s doubling), rather than failing the
    // email. Not the SDK's adaptive mode: its client-side rate falls with every throttle and climbs
    // back only with successes, so a few throttles leave a busy instance waiting seconds per email,
    // and the pacing (send-rate-limiter.ts) already keeps to the quota.
    retryMode: "standard",
    maxAttempts: 5,
  });
  const { configurationSet } = options;
  if (configurationSet) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { ConfigurationSetName?: string };
        if (SEND_COMMANDS.has(context.commandName ?? "")) input.ConfigurationSetName ??= configurationSet;
        return next(args);
      },
      { step: "initialize", name: "namesConfigurationSet" },
    );
  }
  return client;
}

/**
 * Sends the email; resolves with SES's message id, rejects when SES did not accept it, or when
 * `cutoff` stopped the SDK from trying again (see `abortBetweenAttempts`).
 */
export async function sendEmail(ses: SESClient, email: OutgoingEmail, cutoff?: AbortSignal): Promise<string> {
  const command = new SendRawEmailCommand({
    Source: email.from,
    Destinations: [email.to],
    RawMessage: { Data: await buildMimeMessage(email) },
  });
  const stop = cutoff && abortBetweenAttempts(command, cutoff);
  let result;
  try {
    result = await ses.send(command, { abortSignal: stop?.signal });
  } finally {
    stop?.release();
  }
  if (!result.MessageId) {
    // Without the id there is no proof of sending to record; failing lets the platform retry.
    throw new AppError("ses-no-message-id", "SES answered without a message id", { status: 502 });
  }
  return result.MessageId;
}

/**
 * An abort signal for one SES call that follows `cutoff` only between attempts: while waiting to
 * retry (the SDK's backoff) or before the next attempt, never while a request is with SES. An
 * attempt cut off mid-request could have been accepted, unrecorded, and be sent again by the
 * retry; one left to finish is either recorded or refused.
 */
function abortBetweenAttempts(command: SendRawEmailCommand, cutoff: AbortSignal): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  let attempting = false;
  const abort = () => {
    if (!attempting) controller.abort(cutoff.reason);
  };
  cutoff.addEventListener("abort", abort);
  if (cutoff.aborted) abort();
  // The deserialize step runs once per attempt, inside the SDK's retry loop.
  command.middlewareStack.add(
    (next) => async (args) => {
      attempting = true;
      try {
        return await next(args);
      } finally {
        attempting = false;
        if (cutoff.aborted) controller.abort(cutoff.reason);
      }
    },
    { step: "deserialize", name: "abortOnlyBetweenAttempts" },
  );
  return { signal: controller.signal, release: () => cutoff.removeEventListener("abort", abort) };
}
