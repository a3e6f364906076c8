import { randomUUID } from "node:crypto";
import { Request, Response } from "express";
import { pinoHttp } from "pino-http";
import { Logger } from "../../../shared/src/logger";

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * One JSON line per request with its id, status and duration. Only the path is logged: query
 * strings can hold tokens, and bodies and headers can hold personal data or the admin key.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const incoming = req.headers["x-request-id"];
      const id = typeof incoming === "string" && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader("x-request-id", id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url?.startsWith("/health") ?? false },
    // The serializers get Node's request and response as they are: wrapped, pino-http would first
    // copy each into a generic object (every header included) for them to pick three fields from.
    wrapSerializers: false,
    serializers: {
      req: (req: Request) => ({ id: req.id, method: req.method, path: String(req.originalUrl ?? req.url).split("?")[0] }),
      res: (res: Response) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : "info"),
  });
}
