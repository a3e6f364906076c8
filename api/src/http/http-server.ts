import { once } from "node:events";
import { Server } from "node:http";
import { AddressInfo } from "node:net";
import { Express } from "express";

export interface ListenOptions {
  host: string;
  port: number;
  /** The load balancer's idle timeout (the ALB's, 60 s by default). */
  loadBalancerIdleTimeoutSeconds: number;
}

/**
 * Node closes an idle keep-alive connection after 5 s by default, while the ALB reuses one for up
 * to its idle timeout: it would send requests on connections Node has just closed (a 502). Node
 * must keep them open longer than the load balancer, and wait for headers longer still.
 */
export function keepAliveFor(loadBalancerIdleTimeoutSeconds: number): { keepAliveTimeout: number; headersTimeout: number } {
  const keepAliveTimeout = (loadBalancerIdleTimeoutSeconds + 5) * 1000;
  return { keepAliveTimeout, headersTimeout: keepAliveTimeout + 1000 };
}

export interface Listening {
  server: Server;
  /** The address and port bound, e.g. `127.0.0.1` and the port the system chose for PORT=0. */
  address: string;
  port: number;
  /** Where this machine reaches it (`localhost` when it listens on every interface). */
  url: string;
}

/** Listens on HOST:PORT with keep-alive fitted to the load balancer; rejects when the address cannot be taken. */
export async function listen(app: Express, options: ListenOptions): Promise<Listening> {
  const server = app.listen(options.port, options.host);
  const { keepAliveTimeout, headersTimeout } = keepAliveFor(options.loadBalancerIdleTimeoutSeconds);
  server.keepAliveTimeout = keepAliveTimeout;
  server.headersTimeout = headersTimeout;
  await once(server, "listening");
  const { address, port } = server.address() as AddressInfo;
  const host = address === "0.0.0.0" || address === "::" ? "localhost" : address.includes(":") ? `[${address}]` : address;
  return { server, address, port, url: `http://${host}:${port}` };
}
