/**
 * Turns anything thrown while handling a request into the one JSON error shape. Unknown errors
 * become a bare 500: their message and stack go to the log, never to the client.
 */
import { ErrorRequestHandler, RequestHandler } from "express";
import { AppError } from "../../../shared/src/app-error";
import { isDatabaseUnavailable } from "../../../shared/src/database";

export interface ErrorBody {
  error: { code: string; message: string; details?: { field: string; message: string }[]; request_id?: string };
}

// body-parser reports its failures as http-errors with a `type`.
const bodyParserErrors: Record<string, [string, number, string]> = {
  "entity.parse.failed": ["malformed-json", 400, "The request body is not valid JSON"],
  "entity.too.large": ["payload-too-large", 413, "The request body is too large"],
  "encoding.unsupported": ["unsupported-media-type", 415, "The request body encoding is not supported"],
  "charset.unsupported": ["unsupported-media-type", 415, "The request body charset is not supported"],
  "request.aborted": ["request-aborted", 400, "The request was aborted by the client"],
  "request.size.invalid": ["malformed-request", 400, "The request body length does not match its Content-Length"],
};

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const type = (err as { type?: string } | null)?.type;
  if (type && bodyParserErrors[type]) {
    const [code, status, message] = bodyParserErrors[type];
    return new AppError(code, message, { status, cause: err });
  }
  // Express's router refuses a path parameter that is not valid percent-encoding
  // (`/campaigns/%E0%A4%A`): such a path names nothing.
  if (err instanceof URIError && (err as { status?: number }).status === 400) {
    return new AppError("not-found", "No resource at this path: it is not valid percent-encoding", { status: 404, cause: err });
  }
  // Any other client error body-parser raises untyped (a body that does not inflate as its
  // Content-Encoding says) is the client's fault: a 400, not a 500.
  if (isClientHttpError(err)) {
    return new AppError("malformed-request", "The request body could not be read", { status: 400, cause: err });
  }
  if (isDatabaseUnavailable(err)) {
    return new AppError("service-unavailable", "The service is temporarily unavailable, please retry", {
      status: 503,
      cause: err,
    });
  }
  return new AppError("internal-error", "Internal server error", { status: 500, isOperational: false, cause: err });
}

/** http-errors marks the errors a client caused (4xx) as safe to expose. */
function isClientHttpError(err: unknown): boolean {
  const { status, expose } = (err ?? {}) as { status?: unknown; expose?: unknown };
  return typeof status === "number" && status >= 400 && status < 500 && expose === true;
}

export function errorBody(error: AppError, requestId?: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      ...(requestId ? { request_id: requestId } : {}),
    },
  };
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const error = toAppError(err);
  if (!error.isOperational) req.log.error({ err }, "request failed");
  else if (error.status >= 500) req.log.warn({ err: { message: (err as Error).message, code: error.code } }, "request failed");
  if (res.headersSent) return; // too late to answer: Express closes the connection
  if (error.status === 503) res.setHeader("Retry-After", "5");
  res.status(error.status).json(errorBody(error, String(req.id)));
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError("not-found", `No route for ${req.method} ${req.path}`, { status: 404 }));
};

/**
 * Bodies are JSON only: a body of any other type is refused before parsing. A request without a
 * body goes on, so an unknown route still answers 404 and a known one names its required fields.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  // Clients send `Content-Length: 0` without a type for an empty POST; that is no body either.
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is("application/json")) {
    return next(new AppError("unsupported-media-type", "The request body must be application/json", { status: 415 }));
  }
  next();
};
