import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Fields that can carry personal data are redacted at the
 * source so no route can leak them by accident.
 */
export const createLogger = (level: string, name = 'booking-ledger'): Logger =>
  pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.password',
        '*.email',
        '*.phone',
        '*.guest',
        '*.name',
        '*.token',
        '*.refreshToken',
      ],
      censor: '[redacted]',
    },
  });
