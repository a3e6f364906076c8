import assert from "node:assert/strict";
import { apiEnvironmentOf } from "./support/service-environment";
import { committedStack, OPTIONAL, prodWithOptions } from "./support/stack-under-test";

const LISTENER = "aws:lb/listener:Listener";

describe("API service of the dev stack, without HTTPS", () => {
  it("when dev names no certificate, then the load balancer serves plain HTTP on 80 at its own DNS name, and the outputs say so", async () => {
    const s = await committedStack("dev");
    const [listener, ...others] = s.ofType(LISTENER);
    const alb = s.one("aws:lb/loadBalancer:LoadBalancer").state;

    assert.equal(others.length, 0);
    assert.deepEqual([listener.inputs.port, listener.inputs.protocol], [80, "HTTP"]);
    assert.deepEqual(listener.inputs.defaultActions, [{ type: "forward", targetGroupArn: s.one("aws:lb/targetGroup:TargetGroup").state.arn }]);
    assert.equal(s.outputs.servesHttps, false);
    assert.equal(s.outputs.apiUrl, `http://${alb.dnsName}`);
    assert.equal(apiEnvironmentOf(s).PUBLIC_BASE_URL, `http://${alb.dnsName}`);
  });
});

describe("API service with HTTPS", () => {
  for (const [label, build, https] of [
    ["the committed prod stack", () => committedStack("prod"), undefined],
    ["prod with a Route 53 zone", prodWithOptions, OPTIONAL.https],
  ] as const) {
    it(`when ${label} names a certificate, then 443 serves HTTPS with it, 80 only redirects there, and the API's public URL is https on the domain`, async () => {
      const s = await build();
      const { certificateArn, domainName } = https ?? s.config.https!;
      const listener = (port: number) => s.ofType(LISTENER).find((l) => l.inputs.port === port)!.inputs;

      assert.equal(s.ofType(LISTENER).length, 2);
      assert.deepEqual([listener(443).protocol, listener(443).certificateArn], ["HTTPS", certificateArn]);
      assert.match(listener(443).sslPolicy, /TLS13/);
      assert.deepEqual(listener(443).defaultActions, [{ type: "forward", targetGroupArn: s.one("aws:lb/targetGroup:TargetGroup").state.arn }]);
      assert.deepEqual(listener(80).defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
      assert.equal(s.outputs.servesHttps, true);
      assert.equal(s.outputs.apiUrl, `https://${domainName}`);
      assert.equal(apiEnvironmentOf(s).PUBLIC_BASE_URL, `https://${domainName}`);
    });
  }

  it("when the stack names the domain's Route 53 zone, then the domain is an alias of the load balancer; without one, no record is made", async () => {
    const withZone = await prodWithOptions();
    const alb = withZone.one("aws:lb/loadBalancer:LoadBalancer").state;

    assert.deepEqual(withZone.one("aws:route53/record:Record").inputs, {
      zoneId: OPTIONAL.https.hostedZoneId,
      name: OPTIONAL.https.domainName,
      type: "A",
      aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }],
    });
    assert.equal(withZone.outputs.loadBalancerDnsName, alb.dnsName);
    assert.deepEqual((await committedStack("prod")).ofType("aws:route53/record:Record"), []);
  });
});
