import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import {
  STALE_OFFSET_SECONDS,
  signingHeaders,
  slackSignature,
  type SigningOptions,
} from '../../support/slack/inbound-signer.js';

describe('Slack request signing', () => {
  it("reproduces the example in Slack's documentation", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
      '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
      '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
      '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  const secret = 'test-signing-secret';
  const nowSeconds = 1_736_931_600;
  const body = 'command=%2Fdeploy&text=hello-world';

  function verify(options: SigningOptions, verifierSecret = secret): boolean {
    const headers = signingHeaders(secret, nowSeconds, body, options);
    return isValidSlackRequest({
      signingSecret: verifierSecret,
      body,
      headers: {
        'x-slack-signature': headers['x-slack-signature'] ?? '',
        'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
      },
      nowMilliseconds: nowSeconds * 1000,
    });
  }

  it("passes Bolt's verifier when signed with the app's secret", () => {
    const headers = signingHeaders(secret, nowSeconds, body);
    expect(() => {
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: {
          'x-slack-signature': headers['x-slack-signature'] ?? '',
          'x-slack-request-timestamp': Number(headers['x-slack-request-timestamp']),
        },
        nowMilliseconds: nowSeconds * 1000,
      });
    }).not.toThrow();
    expect(verify({})).toBe(true);
    expect(verify({}, 'another-secret')).toBe(false);
  });

  it("is refused by Bolt's verifier when forged, missing or stale", () => {
    expect(verify({ signature: 'forged' })).toBe(false);
    expect(verify({ signature: 'missing' })).toBe(false);
    expect(verify({ timestampOffsetSeconds: STALE_OFFSET_SECONDS })).toBe(false);
    expect(verify({ timestampOffsetSeconds: -(5 * 60) })).toBe(true);
  });
});
