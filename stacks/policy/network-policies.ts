/**
 * Firewall openings: from the internet only HTTP(S), to PostgreSQL only from named security
 * groups, and no public addresses on tasks. Covers every way the AWS provider declares ingress
 * (standalone rules, legacy rules, inline blocks), so defaults of higher-level libraries are caught.
 */
import { Check, problemIf, Props, resourcePolicy } from "./resource-policy";

const POSTGRES_PORT = 5432;
const WEB_PORTS = [80, 443];
const WORLD = ["0.0.0.0/0", "::/0"];

interface Ingress {
  protocol: string;
  fromPort: number;
  toPort: number;
  cidrs: string[];
}

const ALL_PROTOCOLS = ["-1", "all"];
const portRange = (protocol: string, from?: number, to?: number) =>
  ALL_PROTOCOLS.includes(String(protocol)) ? { fromPort: 0, toPort: 65535 } : { fromPort: from ?? 0, toPort: to ?? 65535 };
const present = (...values: (string | string[] | undefined)[]) => values.flat().filter((v): v is string => Boolean(v));

/** The ingress a resource declares, in one shape whatever the resource type. */
const INGRESS_OF: Record<string, (props: Props) => Ingress[]> = {
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (r) => [
    { protocol: String(r.ipProtocol), ...portRange(r.ipProtocol, r.fromPort, r.toPort), cidrs: present(r.cidrIpv4, r.cidrIpv6) },
  ],
  "aws:ec2/securityGroupRule:SecurityGroupRule": (r) =>
    r.type === "ingress" ? [{ protocol: String(r.protocol), ...portRange(r.protocol, r.fromPort, r.toPort), cidrs: present(r.cidrBlocks, r.ipv6CidrBlocks) }] : [],
  "aws:ec2/securityGroup:SecurityGroup": (sg) =>
    (sg.ingress ?? []).map((r: Props) => ({
      protocol: String(r.protocol),
      ...portRange(r.protocol, r.fromPort, r.toPort),
      cidrs: present(r.cidrBlocks, r.ipv6CidrBlocks),
    })),
};

function ingressCheck(check: (rule: Ingress) => string[]): Record<string, Check> {
  return Object.fromEntries(Object.entries(INGRESS_OF).map(([type, ingressOf]) => [type, (props) => ingressOf(props).flatMap(check)]));
}

const describe = (r: Ingress) => `${r.protocol} ${r.fromPort}-${r.toPort} from ${r.cidrs.join(", ")}`;

export const networkPolicies = [
  resourcePolicy(
    "internet-ingress-web-only",
    "From the internet, only TCP 80 and 443 are open",
    ingressCheck((r) =>
      problemIf(
        r.cidrs.some((c) => WORLD.includes(c)) && !(r.protocol === "tcp" && r.fromPort === r.toPort && WEB_PORTS.includes(r.fromPort)),
        `ingress ${describe(r)} opens more than HTTP/HTTPS to the internet`,
      ),
    ),
  ),
  resourcePolicy(
    "database-ingress-from-security-groups-only",
    "PostgreSQL is reachable from named security groups only, never from address ranges",
    ingressCheck((r) =>
      problemIf(
        r.cidrs.length > 0 && r.fromPort <= POSTGRES_PORT && POSTGRES_PORT <= r.toPort,
        `ingress ${describe(r)} reaches port ${POSTGRES_PORT}; allow the client's security group instead`,
      ),
    ),
  ),
  resourcePolicy("ecs-tasks-without-public-ip", "ECS tasks run in private subnets without public addresses", {
    "aws:ecs/service:Service": (svc) => problemIf(svc.networkConfiguration?.assignPublicIp === true, "networkConfiguration.assignPublicIp must be false"),
  }),
];
