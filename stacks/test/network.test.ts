import assert from "node:assert/strict";
import { AVAILABILITY_ZONES } from "../network";
import { RecordedResource } from "./support/recording-mocks";
import { committedStack, OPTIONAL, PROJECT, runStack, STACKS, StackUnderTest } from "./support/stack-under-test";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** Every firewall rule as one line, `<group> <in|out> tcp <port> <peer group | cidr>`, sorted. */
function firewallRules(s: StackUnderTest): string[] {
  const groupName = new Map(s.ofType("aws:ec2/securityGroup:SecurityGroup").map((g) => [g.id, g.name.split("-sg-")[1]]));
  const rule = (direction: string) => (r: RecordedResource) => {
    const { securityGroupId, ipProtocol, fromPort, toPort, cidrIpv4, referencedSecurityGroupId } = r.inputs;
    assert.equal(fromPort, toPort, `${r.name} opens one port`);
    return `${groupName.get(securityGroupId)} ${direction} ${ipProtocol} ${fromPort} ${cidrIpv4 ?? groupName.get(referencedSecurityGroupId)}`;
  };
  return [...s.ofType(INGRESS).map(rule("in")), ...s.ofType(EGRESS).map(rule("out"))].sort();
}

const RULES_WITHOUT_HTTPS = [
  "alb in tcp 80 0.0.0.0/0",
  "alb out tcp 3000 api",
  "api in tcp 3000 alb",
  "api out tcp 443 0.0.0.0/0",
  "api out tcp 5432 database",
  "campaign out tcp 443 0.0.0.0/0",
  "campaign out tcp 5432 database",
  "database in tcp 5432 api",
  "database in tcp 5432 campaign",
  "database in tcp 5432 migrator",
  "migrator out tcp 443 0.0.0.0/0",
  "migrator out tcp 5432 database",
];

for (const stack of STACKS) {
  describe(`network of the ${stack} stack`, () => {
    let s: StackUnderTest;
    before(async () => {
      s = await committedStack(stack);
    });

    it("when the stack is built, then the VPC spans two zones with public and private subnets", () => {
      const vpc = s.one("awsx:ec2:Vpc").inputs;

      assert.equal(vpc.numberOfAvailabilityZones, AVAILABILITY_ZONES);
      assert.equal(AVAILABILITY_ZONES, 2);
      assert.deepEqual(
        vpc.subnetSpecs.map((spec: { type: string }) => spec.type),
        ["Public", "Private"],
      );
      assert.equal(vpc.cidrBlock, s.config.network.cidrBlock);
    });

    it("when the stack is built, then it has the NAT gateways its config asks for (dev one, prod one per zone)", () => {
      const natGateways = { Single: 1, OnePerAz: AVAILABILITY_ZONES }[s.one("awsx:ec2:Vpc").inputs.natGateways.strategy as string];

      assert.equal(natGateways, { dev: 1, prod: 2 }[stack]);
    });

    it("when the stack is built, then the firewall holds exactly the listed rules and nothing else (443 only where the stack serves HTTPS: prod)", () => {
      const https = { dev: [], prod: ["alb in tcp 443 0.0.0.0/0"] }[stack];

      assert.deepEqual(firewallRules(s), [...RULES_WITHOUT_HTTPS, ...https].sort());
      assert.equal(https.length > 0, s.config.https !== undefined);
    });

    it("when the stack is built, then no security group declares inline rules (so none of AWS's defaults survive)", () => {
      const { vpcId } = s.one("awsx:ec2:Vpc").state;
      for (const group of s.ofType("aws:ec2/securityGroup:SecurityGroup")) {
        assert.equal(group.inputs.ingress, undefined, group.name);
        assert.equal(group.inputs.egress, undefined, group.name);
        assert.equal(group.inputs.vpcId, vpcId, group.name);
      }
    });
  });
}

describe("network with HTTPS", () => {
  it("when dev is given a certificate, then the load balancer also opens 443 to the internet, and nothing else changes", async () => {
    const s = await runStack("dev", (raw) => (raw[`${PROJECT}:https`] = JSON.stringify(OPTIONAL.https)));

    assert.deepEqual(firewallRules(s), [...RULES_WITHOUT_HTTPS, "alb in tcp 443 0.0.0.0/0"].sort());
  });
});
