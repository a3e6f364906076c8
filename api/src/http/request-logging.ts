import { randomUUID } from "node:crypto";
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
    serializers: {
      req: (req) => ({ id: req.id, method: req.method, path: String(req.url).split("?")[0] }),
      res: (res) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : "info"),
  });
}
