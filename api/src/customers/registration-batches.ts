/**
 * Registrations that arrive while the database is busy with earlier ones wait for it, then go
 * together in one statement (repository.ts `insertRegistrations`). Under load a task sends a few
 * statements carrying dozens of registrations instead of a statement each: fewer round trips,
 * commits and waits for a pooled connection, for the API and for PostgreSQL (docs/benchmarks.md).
 * A registration that finds the database idle goes at once, alone: there is no timer to wait for.
 *
 * Each registration still stands or falls alone. Its email taken, it alone answers 409. A statement
 * that fails for any reason but the database being unreachable is tried again one registration at
 * a time, so one registration the database refuses cannot fail the others.
 */
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";
import { isDatabaseUnavailable } from "../../../shared/src/database";
import { insertRegistrations, NewRegistration } from "./repository";

/** Statements in flight at once; the rest of the pool stays free for verifications, admin routes and readiness. */
const STATEMENTS_IN_FLIGHT = 2;
/** Registrations per statement at most, which bounds a statement's size and how many wait on it. */
const BATCH_MAX = 100;

/** Resolves once the registration is committed; rejects with a 409 AppError when its email is taken. */
export type StoreRegistration = (registration: NewRegistration) => Promise<void>;

interface Waiting {
  registration: NewRegistration;
  stored: () => void;
  failed: (err: unknown) => void;
}

export function registrationBatches(db: Knex): StoreRegistration {
  const waiting: Waiting[] = [];
  let inFlight = 0;

  const sendWaiting = () => {
    while (inFlight < STATEMENTS_IN_FLIGHT && waiting.length > 0) {
      inFlight++;
      void store(waiting.splice(0, BATCH_MAX)).finally(() => {
        inFlight--;
        sendWaiting();
      });
    }
  };

  const store = async (batch: Waiting[]): Promise<void> => {
    try {
      const stored = await insertRegistrations(db, batch.map((w) => w.registration));
      for (const w of batch) {
        if (stored.has(w.registration.customer.id)) w.stored();
        else w.failed(emailTaken());
      }
    } catch (err) {
      if (batch.length === 1 || isDatabaseUnavailable(err)) for (const w of batch) w.failed(err);
      else for (const w of batch) await store([w]);
    }
  };

  return (registration) =>
    new Promise((stored, failed) => {
      waiting.push({ registration, stored, failed });
      sendWaiting();
    });
}

const emailTaken = () =>
  new AppError("email-already-registered", "A customer with this email is already registered", {
    status: 409,
    details: [{ field: "email_id", message: "is already registered" }],
  });
