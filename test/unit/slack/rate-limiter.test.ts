import { ManualClock } from '../../support/slack/clock.js';
import { RateLimiter } from '../../support/slack/rate-limiter.js';

describe('rate limiter', () => {
  it('allows the configured calls per window, then says how long to wait', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock);
    limiter.set({ method: 'chat.update', limit: 2, windowMs: 60_000 });
    expect(limiter.check('chat.update', 'C1')).toEqual({ limited: false });
    expect(limiter.check('chat.update', 'C1')).toEqual({ limited: false });
    clock.advance(20_500);
    expect(limiter.check('chat.update', 'C1')).toEqual({ limited: true, retryAfterSeconds: 40 });
    expect(limiter.check('chat.postMessage', 'C1')).toEqual({ limited: false });
    clock.advance(39_500);
    expect(limiter.check('chat.update', 'C1')).toEqual({ limited: false });
    expect(limiter.limited).toEqual([
      { method: 'chat.update', retryAfterSeconds: 40, at: clock.now() - 39_500 },
    ]);
  });

  it('counts per channel when asked, and honours a fixed Retry-After', () => {
    const limiter = new RateLimiter(new ManualClock());
    limiter.set({
      method: 'chat.postMessage',
      limit: 1,
      windowMs: 1000,
      per: 'channel',
      retryAfterSeconds: 3,
    });
    expect(limiter.check('chat.postMessage', 'C1').limited).toBe(false);
    expect(limiter.check('chat.postMessage', 'C2').limited).toBe(false);
    expect(limiter.check('chat.postMessage', 'C1')).toEqual({
      limited: true,
      retryAfterSeconds: 3,
    });
    limiter.clear('chat.postMessage');
    expect(limiter.check('chat.postMessage', 'C1').limited).toBe(false);
  });
});
