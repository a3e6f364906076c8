import assert from "node:assert/strict";
import { snsStringToSign } from "../src/sns-signature";

// The verifier and the local SNS share this function, so a mistake in it would pass every signing
// test: it is checked here against the form SNS documents, written out by hand.
describe("SNS's string to sign (Notification)", () => {
  const notification = {
    type: "Notification",
    messageId: "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
    topicArn: "arn:aws:sns:us-west-2:123456789012:MyTopic",
    message: '{"eventType":"Bounce"}\nsecond line',
    timestamp: "2012-05-02T00:54:06.655Z",
  };

  it("when there is no subject, then it is Message, MessageId, Timestamp, TopicArn and Type, each name and value on its own line", () => {
    assert.equal(
      snsStringToSign(notification),
      'Message\n{"eventType":"Bounce"}\nsecond line\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nTimestamp\n2012-05-02T00:54:06.655Z\n' +
        "TopicArn\narn:aws:sns:us-west-2:123456789012:MyTopic\nType\nNotification\n",
    );
  });

  it("when there is a subject, then it comes between MessageId and Timestamp", () => {
    const text = snsStringToSign({ ...notification, subject: "Amazon SES Email Event Notification" });

    assert.match(text, /\nMessageId\n[^\n]+\nSubject\nAmazon SES Email Event Notification\nTimestamp\n/);
  });
});
