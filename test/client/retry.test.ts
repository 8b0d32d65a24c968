import { describe, expect, it } from 'vitest';
import { parseRetryAfter, quotaDecision, retryDelay } from '../../src/core/client/retry.ts';
import { describeDuration } from '../../src/core/toolkit/format.ts';

describe('retryDelay', () => {
  it('grows exponentially with equal jitter between half and all of the backoff', () => {
    expect(retryDelay(1, { random: () => 0 })).toBe(250);
    expect(retryDelay(1, { random: () => 0.999999 })).toBe(500);
    expect(retryDelay(2, { random: () => 0 })).toBe(500);
    expect(retryDelay(3, { random: () => 0.5 })).toBe(1500);
    expect(retryDelay(4, { random: () => 0 })).toBe(2000);
  });

  it('caps the backoff', () => {
    expect(retryDelay(30, { random: () => 1 })).toBe(20_000);
    expect(retryDelay(30, { random: () => 0 })).toBe(10_000);
    expect(retryDelay(5, { random: () => 1, base: 100, cap: 1000 })).toBe(1000);
  });

  it('honours Retry-After exactly (seconds → ms), without jitter', () => {
    expect(retryDelay(1, { retryAfter: 3, random: () => 0.7 })).toBe(3000);
    expect(retryDelay(4, { retryAfter: 0 })).toBe(0);
    expect(retryDelay(2, { retryAfter: 1.5 })).toBe(1500);
  });

  it('never returns a negative or fractional delay, whatever random gives', () => {
    for (const r of [-1, 0, 0.3, 1, 2]) {
      const d = retryDelay(2, { random: () => r });
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(500);
      expect(d).toBeLessThanOrEqual(1000);
    }
    expect(retryDelay(0, { random: () => 0 })).toBe(250);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Tue, 01 Dec 2026 00:00:00 GMT', now)).toBe(8 * 86_400 + 14 * 3600);
    expect(parseRetryAfter('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('quotaDecision', () => {
  it('waits only for a short explicit Retry-After', () => {
    expect(quotaDecision(5, 60)).toBe('wait');
    expect(quotaDecision(60, 60)).toBe('wait');
    expect(quotaDecision(61, 60)).toBe('fail');
    expect(quotaDecision(undefined, 60)).toBe('fail');
    expect(quotaDecision(1, 0)).toBe('fail');
  });
});

describe('describeDuration', () => {
  it('uses the largest fitting unit', () => {
    expect(describeDuration(45)).toBe('45 seconds');
    expect(describeDuration(1)).toBe('1 second');
    expect(describeDuration(0)).toBe('0 seconds');
    expect(describeDuration(7200)).toBe('2 hours');
    expect(describeDuration(8 * 86_400)).toBe('8 days');
  });
});
