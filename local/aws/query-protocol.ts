/**
 * AWS's query protocol, which the SNS and SES (v1) clients speak: form-encoded requests answered
 * with XML. Just what the local stand-ins need to answer the real SDK clients.
 */
import { randomUUID } from "node:crypto";
import { IncomingMessage, ServerResponse } from "node:http";

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

/**
 * The numbered members of a list parameter, e.g. `Entries.member.1.Id` → `[{ Id }]`; nested names
 * stay dotted (`MessageAttributes.entry.1.Name`).
 */
export function listMembers(form: URLSearchParams, list: string): Record<string, string>[] {
  const members: Record<string, string>[] = [];
  const prefix = `${list}.member.`;
  for (const [key, value] of form) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const dot = rest.indexOf(".");
    const index = Number(rest.slice(0, dot)) - 1;
    (members[index] ??= {})[rest.slice(dot + 1)] = value;
  }
  return members.filter(Boolean);
}

/** `MessageAttributes.entry.N.{Name,Value.DataType,Value.StringValue}` of a request or a list member. */
export function messageAttributes(fields: Iterable<[string, string]>, prefix = ""): Record<string, { Type: string; Value: string }> {
  const entries = new Map<string, Record<string, string>>();
  const start = `${prefix}MessageAttributes.entry.`;
  for (const [key, value] of fields) {
    if (!key.startsWith(start)) continue;
    const [index, ...field] = key.slice(start.length).split(".");
    if (!entries.has(index)) entries.set(index, {});
    entries.get(index)![field.join(".")] = value;
  }
  return Object.fromEntries(
    [...entries.values()].map((e) => [e.Name, { Type: e["Value.DataType"], Value: e["Value.StringValue"] ?? e["Value.BinaryValue"] }]),
  );
}

export function xml(text: string | number | boolean): string {
  return String(text).replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function answer(res: ServerResponse, action: string, namespace: string, result: string): void {
  res.writeHead(200, { "content-type": "text/xml" }).end(
    `<${action}Response xmlns="${namespace}"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  );
}

export interface QueryError {
  status: number;
  /** `Sender` for the caller's fault, `Receiver` for the service's. */
  type: "Sender" | "Receiver";
  code: string;
  message: string;
}

export function answerError(res: ServerResponse, namespace: string, error: QueryError): void {
  res.writeHead(error.status, { "content-type": "text/xml" }).end(
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${error.type}</Type><Code>${xml(error.code)}</Code>` +
      `<Message>${xml(error.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}
