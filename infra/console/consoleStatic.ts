import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Request, type Response, type Router } from 'express';

/**
 * Where `make setup` (vite build) puts the console: `console/dist` at the repository root,
 * two folders up from this file under tsx and three from the compiled `dist/infra/console/`.
 */
const besideSources = resolve(fileURLToPath(new URL('../../console/dist', import.meta.url)));
const besideCompiled = resolve(fileURLToPath(new URL('../../../console/dist', import.meta.url)));
export const CONSOLE_DIST =
  !existsSync(join(besideSources, 'index.html')) && existsSync(join(besideCompiled, 'index.html'))
    ? besideCompiled
    : besideSources;

/**
 * Same origin, no inline script or style, no framing: the console talks only
 * to this API (bearer tokens in memory, never cookies), so nothing else is allowed.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * `/console`: the pre-built single-page app. Hashed files under `assets/` are
 * cached for a year (their names change with their content); `index.html` is
 * revalidated on every load, and every other path under `/console` answers it
 * (deep links such as `/console/reservations/r-1` are routed in the page).
 * When the console was not built, `/console` says how to build it (503).
 */
export const createConsoleRouter = (dir: string = CONSOLE_DIST): Router => {
  const router = express.Router();
  const index = join(dir, 'index.html');
  router.use((_req, res, next) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    next();
  });
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
    }),
    // A missing asset is a plain 404, never the app (a stale page would load HTML as script).
    (_req: Request, res: Response) => {
      res.status(404).type('text/plain').send('No such console asset.');
    },
  );
  router.use(express.static(dir, { index: false, maxAge: 0 }));
  router.get(/.*/, (_req, res) => {
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The console is not built: run `make setup` (or `npm run build:console`).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
};
