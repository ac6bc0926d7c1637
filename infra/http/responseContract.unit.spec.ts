import { expect } from 'chai';
import { z } from 'zod';
import { responseContractBreach } from './responseContract.ts';

const route = {
  method: 'post' as const,
  path: '/api/v1/admin/api-keys',
  responses: {
    201: {
      description: 'Created',
      body: z.object({ id: z.string(), items: z.array(z.object({ n: z.number() })) }),
    },
    204: { description: 'Nothing' },
  },
};

describe('response contract (every answer against its OpenAPI response)', () => {
  it('accepts a documented status and a body its schema lists exactly', () => {
    expect(
      responseContractBreach(route, { status: 201, body: { id: 'k', items: [{ n: 1 }] } }),
    ).to.equal(undefined);
    expect(responseContractBreach(route, { status: 204 })).to.equal(undefined);
  });

  it('names a field the schema does not document, at any depth (the api-keys label case)', () => {
    expect(
      responseContractBreach(route, { status: 201, body: { id: 'k', items: [], label: 'Acme' } }),
    ).to.contain('label');
    expect(
      responseContractBreach(route, { status: 201, body: { id: 'k', items: [{ n: 1, x: 2 }] } }),
    ).to.contain('items[0].x');
  });

  it('refuses a body of the wrong shape and a status the document does not list', () => {
    expect(responseContractBreach(route, { status: 201, body: { id: 7, items: [] } })).to.contain(
      'id',
    );
    expect(responseContractBreach(route, { status: 200, body: {} })).to.contain('does not list');
  });
});
