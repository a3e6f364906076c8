import { SnsHandler } from "../../../../campaign/src/welcome-handler";

/**
 * Sits between SNS and the campaign handler and counts, per event id, the invocations that
 * succeeded: more than one for an event means it was published more than once. The welcome
 * email's own de-duplication would hide that, so it is counted before it.
 */
export function deliveryCounter() {
  const succeeded = new Map<string, number>();
  let failed = 0;
  return {
    succeeded: succeeded as ReadonlyMap<string, number>,
    /** Invocations that threw (the platform retries them). */
    failed: () => failed,
    wrap(handle: SnsHandler): SnsHandler {
      return async (event) => {
        try {
          await handle(event);
        } catch (err) {
          failed++;
          throw err;
        }
        for (const record of event.Records) {
          const eventId = (JSON.parse(record.Sns.Message) as { event_id: string }).event_id;
          succeeded.set(eventId, (succeeded.get(eventId) ?? 0) + 1);
        }
      };
    },
  };
}

export type DeliveryCounter = ReturnType<typeof deliveryCounter>;
