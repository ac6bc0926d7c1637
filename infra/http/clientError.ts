import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../observability/logger.ts';
import { HttpError, toErrorResponse } from './errorResponse.ts';

/** node:http's `maxHeaderSize` default: the request line and headers together, bytes. */
const MAX_HEADER_BYTES = 16 * 1024;

const refusalOf = (code: string | undefined): HttpError => {
  switch (code ?? '') {
    case 'HPE_HEADER_OVERFLOW':
      return new HttpError(
        431,
        'REQUEST_HEADERS_TOO_LARGE',
        `The request line and headers together exceed ${MAX_HEADER_BYTES / 1024} KB; shorten the URL or the headers.`,
        { maxBytes: MAX_HEADER_BYTES },
      );
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new HttpError(
        408,
        'REQUEST_TIMEOUT',
        'The request took too long to arrive; resend it.',
      );
    default:
      return new HttpError(
        400,
        'MALFORMED_REQUEST',
        'The request is not valid HTTP/1.1 (request line, header names or values, or framing); fix the client.',
      );
  }
};

/**
 * Requests node:http refuses before any handler runs (headers over
 * `maxHeaderSize`, malformed request lines or headers) get the same error
 * envelope as every other refusal instead of Node's bare status line.
 */
export const answerClientErrorsWithEnvelope = (server: Server, logger?: Logger): void => {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const requestId = randomUUID();
    const refusal = refusalOf(error.code);
    const response = toErrorResponse(refusal, requestId);
    logger?.info(
      { reqId: requestId, status: response.status, code: error.code },
      'request refused by the HTTP parser',
    );
    const body = JSON.stringify(response.body);
    socket.end(
      [
        `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`,
        'Content-Type: application/json; charset=utf-8',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `X-Request-Id: ${requestId}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  });
};
