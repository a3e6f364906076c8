/**
 * What each service's database role may do, in one place: applied after every migration run
 * (apply-role-grants.ts), revoking whatever is not listed, so the roles hold exactly this. Read
 * from every query of api/src and campaign/src. A migration that adds a table adds its line here
 * in the same change (or to TABLES_NO_SERVICE_TOUCHES); a test fails until it does.
 *
 * Neither role owns anything, so neither can create, alter or drop: only the migrations' role can.
 * Column lists on UPDATE say which columns a service changes; the rest it can only read.
 */
import { DATABASE_ROLES, DatabaseRole } from "../../../shared/src/database-roles";

export type TablePrivilege = "SELECT" | "INSERT" | "UPDATE" | "DELETE";
/** A table-wide privilege, or UPDATE of the listed columns only. */
export type Grant = TablePrivilege | { update: readonly string[] };

export interface RoleGrants {
  /** Privileges per table of the `public` schema. */
  tables: Record<string, readonly Grant[]>;
  /** Sequences the role draws ids from (USAGE): those of the tables it inserts into. */
  sequences: readonly string[];
}

const update = (...columns: string[]): Grant => ({ update: columns });

export const ROLE_GRANTS: Record<DatabaseRole, RoleGrants> = {
  [DATABASE_ROLES.api]: {
    tables: {
      // Registration, verification, the consent links (unsubscribe, confirm), privacy export and erasure.
      customers: ["SELECT", "INSERT", "DELETE", update("marketing_opt_in", "marketing_consent_requested_at", "marketing_consent_confirmed_at", "updated_at")],
      marketing_consent_events: ["SELECT", "INSERT", "DELETE"],
      // Registration writes events; the relay claims, publishes and reschedules them; erasure and retention delete.
      outbox: ["SELECT", "INSERT", "DELETE", update("available_at", "attempts", "published_at", "last_error")],
      // The campaign function writes it; the API exports and erases it.
      welcome_emails: ["SELECT", "DELETE"],
      campaigns: ["SELECT", "INSERT", "DELETE", update("name", "description", "offer", "discount_code", "starts_at", "ends_at", "updated_at")],
      // Erasure's tombstone; nothing in the API reads it back.
      erased_customers: ["INSERT"],
      // Records broadcasts, cancels and relaunches them; what was asked for (campaign, segment) never changes.
      broadcasts: ["SELECT", "INSERT", update("status", "enumerated", "targeted", "started_at", "finished_at", "cancelled_at")],
      // Progress counts, privacy export and erasure.
      broadcast_deliveries: ["SELECT", "DELETE"],
      // Looked up (and in every audience) and lifted; only SES's reports create them.
      suppressions: ["SELECT", update("lifted_at")],
      // Privacy export, erasure and retention.
      ses_events: ["SELECT", "DELETE"],
      // Start-up refuses a schema that is behind the code (api/src/migrate.ts).
      knex_migrations: ["SELECT"],
    },
    sequences: ["outbox_seq_seq", "marketing_consent_events_id_seq", "erased_customers_id_seq"],
  },
  [DATABASE_ROLES.campaign]: {
    tables: {
      // Consent right before a send, broadcast audiences; a complaint turns offers off.
      customers: ["SELECT", update("marketing_opt_in", "updated_at")],
      // The complaint's withdrawal goes on the record of consent (RETURNING reads back what it wrote).
      marketing_consent_events: ["SELECT", "INSERT"],
      // Ongoing campaigns in the welcome email, a broadcast's campaign.
      campaigns: ["SELECT"],
      // Claim, send, record: the welcome email goes out once.
      welcome_emails: ["SELECT", "INSERT", update("ses_message_id", "sent_at")],
      // The shared SES token bucket: every column of a bucket is the limiter's.
      send_rate_limits: ["SELECT", "INSERT", "UPDATE"],
      // Enumeration progress and completion; cancelling is the API's.
      broadcasts: ["SELECT", update("status", "enumerated", "targeted", "started_at", "finished_at")],
      broadcast_deliveries: ["SELECT", "INSERT", update("status", "ses_message_id", "updated_at")],
      // Permanent bounces and complaints suppress an address (again, if it had been lifted).
      suppressions: ["SELECT", "INSERT", update("reason", "detail", "created_at", "lifted_at")],
      ses_events: ["SELECT", "INSERT"],
    },
    sequences: ["marketing_consent_events_id_seq"],
  },
};

/** Tables of the schema no service role may touch at all. */
export const TABLES_NO_SERVICE_TOUCHES = ["knex_migrations_lock"];
