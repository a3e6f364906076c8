import { Router } from "express";
import { Knex } from "knex";
import { AppError } from "../../../shared/src/app-error";

const READINESS_TIMEOUT_MS = 2_000;

export interface ReadinessOptions {
  /** How long one database check answers for every caller. Default 1 s. */
  cacheMs?: number;
  /** Milliseconds, for the cache (tests move time on by hand). Default `Date.now`. */
  now?: () => number;
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/**
 * `/health` says the process is alive (ECS restarts it otherwise); `/health/ready` says it can serve
 * (the load balancer stops sending traffic otherwise): the database answers and no shutdown has begun.
 * Readiness is public, so its database check runs at most once per `cacheMs` however many ask; a
 * shutdown still answers 503 at once.
 */
export function healthRoutes(deps: { db: Knex; isShuttingDown: () => boolean; readiness?: ReadinessOptions }): Router {
  const databaseAnswers = atMostOncePer(deps.readiness?.cacheMs ?? 1_000, deps.readiness?.now ?? Date.now, () =>
    deps.db.raw("SELECT 1").timeout(READINESS_TIMEOUT_MS, { cancel: false }),
  );
  const router = Router();
  router.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/health/ready", async (_req, res) => {
    if (deps.isShuttingDown()) throw notReady("shutting down");
    const outcome = await databaseAnswers();
    if (!outcome.ok) throw notReady("database unreachable", outcome.error);
    res.json({ status: "ready" });
  });
  return router;
}

/** Starts `check` at most once per `intervalMs`; callers in between share its outcome, in flight or settled. */
function atMostOncePer(intervalMs: number, now: () => number, check: () => Promise<unknown>): () => Promise<Outcome> {
  let last: { startedAt: number; outcome: Promise<Outcome> } | undefined;
  return () => {
    if (!last || now() - last.startedAt >= intervalMs) {
      const outcome = check().then((): Outcome => ({ ok: true }), (error: unknown): Outcome => ({ ok: false, error }));
      last = { startedAt: now(), outcome };
    }
    return last.outcome;
  };
}

function notReady(reason: string, cause?: unknown): AppError {
  return new AppError("not-ready", `Not ready: ${reason}`, { status: 503, cause });
}
