import { expect, it } from 'vitest';
import { json, stubClient, TOKEN } from './stub.ts';

it('get adds the trailing slash and the token, resolves to the body', async () => {
  const { client, calls } = stubClient(() => json({ data: [{ slug: 'a' }], meta: { count: 1 } }));
  const body = await client.get('/pages/*', { levels: 1, preview: false, alt_media_text: true });
  expect(body).toEqual({ data: [{ slug: 'a' }], meta: { count: 1 } });
  expect(calls[0]?.pathname).toBe('/v2/pages/*/');
  expect(calls[0]?.search).toBe(`?levels=1&alt_media_text=1&auth_token=${TOKEN}`);
  expect(client.stats).toMatchObject({ requests: 1, retries: 0, failures: 0 });
});
