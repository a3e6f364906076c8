/**
 * SQS queues for the local platform, kept in PostgreSQL so they survive a crash as SQS does: a
 * message sent is stored when `send` resolves. Receiving hides messages for the visibility
 * timeout; a message received more than `maxReceiveCount` times moves to the dead-letter queue on
 * its next receive, as SQS's redrive policy does. Several processes may share one database.
 */
import { randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Knex } from "knex";

export interface QueueDefinition {
  name: string;
  visibilityTimeoutMs: number;
  /** With `deadLetterQueue`: receives before a message is moved there. */
  maxReceiveCount?: number;
  deadLetterQueue?: string;
}

export interface QueueMessage {
  messageId: string;
  /** Changes with every receive; only the latest deletes the message, as in SQS. */
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  receiveCount: number;
  sentAt: Date;
  firstReceivedAt: Date;
}

interface Row {
  id: string;
  body: string;
  attributes: Record<string, string>;
  receive_count: number;
  sent_at: Date;
  first_received_at: Date;
}

const SCHEMA = "local_aws";
const TABLE = `${SCHEMA}.queue_messages`;
const SCHEMA_LOCK = 4_210_002; // concurrent starts must not race on CREATE TABLE IF NOT EXISTS

export class LocalQueues {
  /** Emits a queue's name when messages were sent to it (in this process), so pollers wake at once. */
  readonly sent = new EventEmitter();
  private readonly definitions = new Map<string, QueueDefinition>();

  private constructor(private readonly db: Knex) {
    this.sent.setMaxListeners(0);
  }

  /** Creates the store's table if needed; `db` must be allowed to create a schema. */
  static async open(db: Knex, definitions: QueueDefinition[]): Promise<LocalQueues> {
    await db.transaction(async (trx) => {
      await trx.raw("SELECT pg_advisory_xact_lock(?)", [SCHEMA_LOCK]);
      await trx.raw(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
      await trx.raw(`CREATE TABLE IF NOT EXISTS ${TABLE} (
        id uuid PRIMARY KEY,
        queue text NOT NULL,
        body text NOT NULL,
        attributes jsonb NOT NULL DEFAULT '{}',
        sent_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        visible_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        receive_count integer NOT NULL DEFAULT 0,
        first_received_at timestamptz
      )`);
      await trx.raw(`CREATE INDEX IF NOT EXISTS queue_messages_visible ON ${TABLE} (queue, visible_at)`);
    });
    const queues = new LocalQueues(db);
    for (const definition of definitions) queues.definitions.set(definition.name, definition);
    return queues;
  }

  definition(queue: string): QueueDefinition {
    const definition = this.definitions.get(queue);
    if (!definition) throw new Error(`no local queue named ${queue}`);
    return definition;
  }

  /** Stores the messages (one statement: all or none) and returns their ids. */
  async send(queue: string, messages: { body: string; attributes?: Record<string, string>; delayMs?: number }[]): Promise<string[]> {
    this.definition(queue);
    if (messages.length === 0) return [];
    const ids = messages.map(() => randomUUID());
    await this.db.raw(
      `INSERT INTO ${TABLE} (id, queue, body, attributes, visible_at)
       SELECT id, ?, body, attributes, clock_timestamp() + delay_ms * interval '1 millisecond'
       FROM unnest(?::uuid[], ?::text[], ?::jsonb[], ?::int[]) AS m(id, body, attributes, delay_ms)`,
      [
        queue,
        ids,
        messages.map((m) => m.body),
        messages.map((m) => JSON.stringify(m.attributes ?? {})),
        messages.map((m) => m.delayMs ?? 0),
      ],
    );
    this.sent.emit("sent", queue);
    return ids;
  }

  /** Up to `max` visible messages, hidden for the queue's visibility timeout. */
  async receive(queue: string, max: number): Promise<QueueMessage[]> {
    const definition = this.definition(queue);
    if (definition.deadLetterQueue && definition.maxReceiveCount) {
      await this.db.raw(
        `UPDATE ${TABLE} SET queue = ?, receive_count = 0, first_received_at = NULL, visible_at = clock_timestamp()
         WHERE queue = ? AND receive_count >= ? AND visible_at <= clock_timestamp()`,
        [definition.deadLetterQueue, queue, definition.maxReceiveCount],
      );
    }
    // A message whose receives are spent is only ever moved, never received again, even by a poller
    // whose move above ran a moment before it became visible.
    const spent = definition.deadLetterQueue && definition.maxReceiveCount ? definition.maxReceiveCount : 2 ** 31 - 1;
    const { rows } = await this.db.raw<{ rows: Row[] }>(
      `WITH due AS (
         SELECT id FROM ${TABLE} WHERE queue = ? AND visible_at <= clock_timestamp() AND receive_count < ?
         ORDER BY visible_at LIMIT ? FOR UPDATE SKIP LOCKED
       )
       UPDATE ${TABLE} m
       SET receive_count = m.receive_count + 1,
           visible_at = clock_timestamp() + ? * interval '1 millisecond',
           first_received_at = coalesce(m.first_received_at, clock_timestamp())
       FROM due WHERE m.id = due.id
       RETURNING m.id, m.body, m.attributes, m.receive_count, m.sent_at, m.first_received_at`,
      [queue, spent, max, definition.visibilityTimeoutMs],
    );
    return rows.map((r) => ({
      messageId: r.id,
      receiptHandle: `${r.id}:${r.receive_count}`,
      body: r.body,
      attributes: r.attributes,
      receiveCount: r.receive_count,
      sentAt: r.sent_at,
      firstReceivedAt: r.first_received_at,
    }));
  }

  /** Deletes received messages; a stale receipt handle (received again since) deletes nothing. */
  async delete(receiptHandles: string[]): Promise<void> {
    if (receiptHandles.length === 0) return;
    const [ids, counts] = [receiptHandles.map((h) => h.split(":")[0]), receiptHandles.map((h) => Number(h.split(":")[1]))];
    await this.db.raw(
      `DELETE FROM ${TABLE} m USING unnest(?::uuid[], ?::int[]) AS h(id, receive_count)
       WHERE m.id = h.id AND m.receive_count = h.receive_count`,
      [ids, counts],
    );
  }

  /** Makes a received message visible again after `delayMs` (0: at once). */
  async changeVisibility(receiptHandle: string, delayMs: number): Promise<void> {
    const [id, count] = receiptHandle.split(":");
    await this.db.raw(
      `UPDATE ${TABLE} SET visible_at = clock_timestamp() + ? * interval '1 millisecond' WHERE id = ? AND receive_count = ?`,
      [delayMs, id, Number(count)],
    );
  }

  /** Messages in the queue, visible or in flight (what SQS's approximate counts add up to). */
  async depth(queue: string): Promise<number> {
    const row = await this.db(TABLE).where({ queue }).first(this.db.raw("count(*)::int AS n"));
    return row?.n ?? 0;
  }

  /** Every message of a queue, oldest first, without receiving them (e.g. to inspect a dead-letter queue). */
  async peek(queue: string): Promise<{ messageId: string; body: string; attributes: Record<string, string>; sentAt: Date }[]> {
    const rows: Row[] = await this.db(TABLE).where({ queue }).orderBy("sent_at").select("id", "body", "attributes", "sent_at");
    return rows.map((r) => ({ messageId: r.id, body: r.body, attributes: r.attributes, sentAt: r.sent_at }));
  }
}
