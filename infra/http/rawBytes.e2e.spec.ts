import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { z } from 'zod';
import { defineRoute } from '../../commands/shared/route.ts';
import { postJson, startTestApp, type TestApp } from './testing.ts';

describe('HTTP rawBytes routes: the handler sees the exact bytes', function () {
  this.timeout(20_000);
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      redis: 'none',
      routes: [
        defineRoute({
          method: 'post',
          path: '/api/v1/test/raw',
          summary: 'Echo a hash of the raw body',
          auth: 'public',
          rawBytes: true,
          responses: { 200: { description: 'The hash and length.' } },
          handler: ({ rawBytes, body }) =>
            Promise.resolve({
              status: 200,
              body: {
                sha256: rawBytes && createHash('sha256').update(rawBytes).digest('hex'),
                length: rawBytes?.length,
                parsed: body !== undefined,
              },
            }),
        }),
        defineRoute({
          method: 'post',
          path: '/api/v1/test/json',
          summary: 'A normal JSON route',
          auth: 'public',
          body: z.object({ a: z.number() }),
          responses: { 200: { description: 'What the handler saw.' } },
          handler: ({ body, rawBytes }) =>
            Promise.resolve({ status: 200, body: { a: body.a, raw: rawBytes !== undefined } }),
        }),
      ],
    });
  });
  after(async () => app.close());

  it('keeps whitespace and key order of a JSON body byte for byte', async () => {
    const text = '{ "b" : 1,\n  "a":[2, 3] }\n';
    const response = await fetch(`${app.baseUrl}/api/v1/test/raw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: text,
    });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({
      sha256: createHash('sha256').update(text).digest('hex'),
      length: Buffer.byteLength(text),
      parsed: false,
    });
  });

  it('leaves every other route on the JSON parser', async () => {
    const response = await postJson(`${app.baseUrl}/api/v1/test/json`, { a: 7 });
    expect(await response.json()).to.deep.equal({ a: 7, raw: false });
  });
});
