import { createHash, timingSafeEqual } from "node:crypto";
import { RequestHandler } from "express";
import { AppError } from "../../../shared/src/app-error";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Admin routes require `x-api-key`. Both sides are hashed first so the comparison takes the same
 * time whatever the key's length or content: nothing about the key leaks through timing.
 */
export function requireApiKey(expectedKey: string): RequestHandler {
  const expected = digest(expectedKey);
  return (req, _res, next) => {
    const given = req.get("x-api-key");
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      return next(new AppError("unauthorized", "A valid x-api-key header is required", { status: 401 }));
    }
    next();
  };
}
