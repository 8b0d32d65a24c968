import { describe, expect, it } from 'vitest';
import { redact, stripToken } from '../../src/core/redact.ts';

describe('token hygiene', () => {
  it('strips auth_token from URLs and keeps the rest', () => {
    expect(stripToken('https://api.buttercms.com/v2/posts/?page=2&auth_token=s3cret&x=1')).toBe(
      'https://api.buttercms.com/v2/posts/?page=2&x=1',
    );
    expect(stripToken('https://api.buttercms.com/v2/posts/')).toBe(
      'https://api.buttercms.com/v2/posts/',
    );
  });

  it('masks the token anywhere in free text', () => {
    const text =
      'GET /v2/pages/?auth_token=abcd1234 failed; Authorization: Token abcd1234; abcd1234';
    const out = redact(text, 'abcd1234');
    expect(out).not.toContain('abcd1234');
    expect(out).toContain('auth_token=***');
  });
});
