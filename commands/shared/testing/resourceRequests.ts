import { randomUUID } from 'node:crypto';
import type { ResourceConfig } from '../../../domain/resource/schema.ts';
import { bearer, postJson } from '../../../infra/http/testing.ts';

/** HTTP helpers for the resource-admin e2e tests. */
export const resourceClient = (baseUrl: string, credential: string) => {
  const headers = bearer(credential);
  const url = (path: string) => `${baseUrl}/api/v1/resources${path}`;
  const call = async (path: string, body: unknown, method = 'POST', extra = {}) => {
    const response = await postJson(url(path), body, { ...headers, ...extra }, method);
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  return {
    register: (config: ResourceConfig, resourceId = `r-${randomUUID().slice(0, 8)}`) =>
      call('', { resourceId, ...config }),
    change: (id: string, changes: object, extra: Record<string, string> = {}) =>
      call(`/${id}`, changes, 'PATCH', extra),
    retire: (id: string, reason = 'sold') => call(`/${id}/retire`, { reason }),
    slots: (id: string, action: 'close' | 'open' | 'capacity', body: object) =>
      call(`/${id}/slots/${action}`, body),
    call,
  };
};
