import { ErrorRequestHandler, Request, RequestHandler } from "express";
import { ipKeyGenerator, MemoryStore, Options, rateLimit } from "express-rate-limit";
import { AppError } from "../../../shared/src/app-error";

export interface RateLimits {
  windowMs: number;
  /** Requests per client address and window on every route but health checks. */
  perClient: number;
  /**
   * Answers that say whether an email is registered, per client and window: POST /verify-registration
   * and a registration answered 409. Stricter, so nobody can enumerate registered emails.
   */
  verifyPerClient: number;
  registrationWindowMs: number;
  /** Registrations (answered 201 or 409) per client address and registration window: a person registers once. */
  registrationsPerClient: number;
}

export interface RateLimiters {
  /** Every route but health checks. */
  perClient: RequestHandler;
  /** For POST /verify-registration. */
  verify: RequestHandler;
  /** For POST /customer-registration. */
  registration: RequestHandler;
  /** Error middleware: a 409 `email-already-registered` spends the verify budget, and past it answers 429 instead. */
  conflictSpendsVerifyBudget: ErrorRequestHandler;
}

/**
 * The client address as Express reports it: `trust proxy` is the configured number of hops, so
 * nobody outside them can choose their key with X-Forwarded-For. IPv6 clients are grouped by /56
 * network (one client can hold a whole block); IPv4 is used as is.
 */
const clientKey = (req: Request) => (req.ip?.includes(":") ? ipKeyGenerator(req.ip) : (req.ip ?? "unknown"));

const rateLimited = () => new AppError("rate-limited", "Too many requests, please retry later", { status: 429 });

/** Counters live in each task's memory: with N tasks a client gets at most N times the limit. */
function limiter(windowMs: number, limit: number, options: Partial<Options> = {}): RequestHandler {
  return rateLimit({
    windowMs,
    limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    keyGenerator: clientKey,
    handler: (_req, _res, next) => next(rateLimited()),
    ...options,
  });
}

export function rateLimiters(limits: RateLimits): RateLimiters {
  const perClient = limiter(limits.windowMs, limits.perClient);
  const enumeration = new MemoryStore();
  return {
    perClient: (req, res, next) => (req.path.startsWith("/health") ? next() : perClient(req, res, next)),
    verify: limiter(limits.windowMs, limits.verifyPerClient, { store: enumeration }),
    // Only answers that cost something count: a welcome email sent (201) or an email revealed (409).
    // Refused input and outages do not, so a person correcting a typo or retrying keeps their turn.
    registration: limiter(limits.registrationWindowMs, limits.registrationsPerClient, {
      skipFailedRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode === 201 || res.statusCode === 409,
    }),
    conflictSpendsVerifyBudget: (err, req, res, next) => {
      if (!(err instanceof AppError && err.code === "email-already-registered")) return next(err);
      // A 409 tells as much as a verification: it is counted in the same store, under the same key.
      enumeration.increment(clientKey(req)).then(({ totalHits, resetTime }) => {
        if (totalHits <= limits.verifyPerClient) return next(err);
        const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : 1;
        res.setHeader("Retry-After", String(seconds));
        next(rateLimited());
      }, next);
    },
  };
}
