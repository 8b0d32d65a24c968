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

  it('masks the token in every encoding a server may echo it in', () => {
    const token = 'ab+cd/ef==gh';
    const forms = [
      token,
      encodeURIComponent(token),
      'ab%2bcd%2fef%3d%3dgh',
      encodeURIComponent(encodeURIComponent(token)),
      new URLSearchParams({ t: token }).toString().slice(2),
      JSON.stringify(token).slice(1, -1).replace(/\//g, '\\/'),
    ];
    for (const form of forms) {
      const out = redact(`{"detail":"Invalid token ${form}."}`, token);
      expect(out, form).toBe('{"detail":"Invalid token ***."}');
    }
    // A hex token as before; its letters are not matched in another case.
    expect(redact('token deadbeef01 DEADBEEF01', 'deadbeef01')).toBe('token *** DEADBEEF01');
  });

  it('masks the password (and user) of any URL', () => {
    expect(redact('fetch https://me:hunter2@api.example.com/v2/ failed')).toBe(
      'fetch https://***@api.example.com/v2/ failed',
    );
  });
});
