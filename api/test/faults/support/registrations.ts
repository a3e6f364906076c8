import { aRegistration } from "../../support/builders";
import { Load, LoadOptions, startLoad } from "./load";

/** What one registration got. Status 0: no answer (refused or dropped connection), so its outcome is unknown. */
export interface RegistrationAnswer {
  email: string;
  status: number;
  /** The customer id, from a 201. */
  id?: string;
  ms: number;
}

/** Registers one customer, as a client would; never throws. */
export async function register(apiUrl: string, body: Record<string, unknown> = aRegistration()): Promise<RegistrationAnswer> {
  const email = String(body.email_id).trim().toLowerCase();
  const started = performance.now();
  try {
    const res = await fetch(`${apiUrl}/customer-registration`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const answer = (await res.json()) as { id?: string };
    return { email, status: res.status, id: res.status === 201 ? answer.id : undefined, ms: performance.now() - started };
  } catch {
    return { email, status: 0, ms: performance.now() - started };
  }
}

/** Registrations spread over the given APIs in turn, until stopped. */
export function startRegistrationLoad(apiUrls: string | string[], options: LoadOptions = { concurrency: 8 }): Load<RegistrationAnswer> {
  const urls = ([] as string[]).concat(apiUrls);
  let turn = 0;
  return startLoad(options, () => register(urls[turn++ % urls.length]));
}

/** How many answers had this status. */
export function countStatus(answers: readonly RegistrationAnswer[], status: number): number {
  return answers.filter((a) => a.status === status).length;
}
