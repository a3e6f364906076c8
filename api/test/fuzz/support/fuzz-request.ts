/** A generated request, and how it is put on the wire. */
import { gzipSync, deflateSync, brotliCompressSync } from "node:zlib";
import request from "supertest";
import { Method } from "./documented-operations";

/** The n-th id or token the run has produced so far (generators cannot know them in advance). */
export interface Known {
  known: number;
}
/** A path segment or query part: text sent exactly as given (already encoded), or a known value. */
export type Piece = string | Known;

export interface FuzzRequest {
  /** The documented operation it was generated for; none for unknown paths and undocumented methods. */
  operationId?: string;
  /** The documented path it stands for, when `path` is one of Express's equivalent spellings of it. */
  template?: string;
  method: Method;
  /** With `{name}` placeholders filled from `params`. */
  path: string;
  params: Record<string, Piece>;
  query: [string, Piece][];
  headers: Record<string, string>;
  body?: { text: string; contentType?: string; contentEncoding?: string; compress: boolean };
}

/**
 * Known values by parameter name and the documented path it is in (campaign or broadcast ids for
 * `id`, link tokens for `token`, registered addresses for `email_id`).
 */
export type KnownValues = (name: string, template?: string) => string[];

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Percent-encodes UTF-8 bytes; unlike encodeURIComponent it never throws (a lone surrogate becomes U+FFFD). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, "utf8")]
    .map((byte) => (UNRESERVED.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");
}

function resolve(piece: Piece, name: string, known: KnownValues, template?: string): string {
  if (typeof piece === "string") return piece;
  const values = known(name, template);
  return values.length ? percentEncode(values[piece.known % values.length]) : "00000000-0000-4000-8000-000000000000";
}

/** Stands in a generated body for the n-th known value of `name` (e.g. a registered email), filled in by `target`. */
export function knownInBody(name: string, n: number): string {
  return `«known:${name}:${n}»`;
}

function resolveBody(body: FuzzRequest["body"], known: KnownValues): FuzzRequest["body"] {
  if (!body) return body;
  const text = body.text.replace(/«known:(\w+):(\d+)»/g, (_, name: string, n: string) => {
    const values = known(name);
    return values.length ? JSON.stringify(values[Number(n) % values.length]).slice(1, -1) : "nobody.known@example.com";
  });
  return { ...body, text };
}

/**
 * The request as sent: its path, the decoded value of each path parameter (to know what a 204
 * deleted), and its body with known values filled in.
 */
export function target(req: FuzzRequest, known: KnownValues): { url: string; params: Record<string, string>; body: FuzzRequest["body"] } {
  const params: Record<string, string> = {};
  const path = req.path.replace(/\{([^}]+)\}/g, (_, name: string) => (params[name] = resolve(req.params[name], name, known, req.template)));
  const query = req.query.map(([key, value]) => `${key}=${resolve(value, key, known)}`).join("&");
  for (const name of Object.keys(params)) params[name] = safeDecode(params[name]);
  return { url: query ? `${path}?${query}` : path, params, body: resolveBody(req.body, known) };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const compressors: Record<string, (bytes: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** Sends the request to `url` (from `target`) on the listening API; a hung request fails the property rather than the suite. */
export function send(server: string, url: string, req: FuzzRequest): request.Test {
  const test = request(server)[req.method](url).timeout({ deadline: 10_000 });
  for (const [name, value] of Object.entries(req.headers)) test.set(name, value);
  if (!req.body) return test;
  const { text, contentType, contentEncoding, compress } = req.body;
  let bytes: Buffer = Buffer.from(text, "utf8");
  if (contentEncoding) {
    test.set("content-encoding", contentEncoding);
    if (compress && compressors[contentEncoding]) bytes = compressors[contentEncoding](bytes);
  }
  if (contentType !== undefined) test.set("content-type", contentType);
  // Byte for byte, whatever the content type says (superagent would otherwise serialise by it).
  return test.serialize((data) => data).send(bytes);
}
