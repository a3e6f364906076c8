import { QueueFunction } from "../../../../local/aws/event-source-mapping";

/**
 * Sits between the welcome queue and the campaign function and counts, per event id, the records
 * the function handled successfully: more than one for an event means it was published (or
 * delivered) more than once. The welcome email's own de-duplication would hide that, so it is
 * counted before it. Also records how many invocations ran at once.
 */
export function deliveryCounter() {
  const succeeded = new Map<string, number>();
  let [failed, running, mostAtOnce] = [0, 0, 0];
  return {
    succeeded: succeeded as ReadonlyMap<string, number>,
    /** Records the function reported failed (the queue delivers them again). */
    failed: () => failed,
    mostAtOnce: () => mostAtOnce,
    wrap(handle: QueueFunction): QueueFunction {
      return async (event, context) => {
        mostAtOnce = Math.max(mostAtOnce, ++running);
        try {
          const response = await handle(event, context);
          const failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          failed += failedIds.size;
          for (const record of event.Records.filter((r) => !failedIds.has(r.messageId))) {
            const eventId = eventIdOf(record.body);
            if (eventId) succeeded.set(eventId, (succeeded.get(eventId) ?? 0) + 1);
          }
          return response;
        } finally {
          running--;
        }
      };
    },
  };
}

function eventIdOf(body: string): string | undefined {
  try {
    return (JSON.parse((JSON.parse(body) as { Message: string }).Message) as { event_id?: string }).event_id;
  } catch {
    return undefined; // poison: the function dead-letters it
  }
}

export type DeliveryCounter = ReturnType<typeof deliveryCounter>;
