import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where the browser app lives in URLs. */
export const WEB_APP_PATH = '/app';

/**
 * The built web app (`npm run build:web` writes it to dist/web). Found next to the compiled API
 * (dist/apps/api/src → dist/web) or, when the API runs from its sources (tests), under dist/web.
 */
export function webAppDirectory(): string | null {
  const candidates = ['../../../web', '../../../dist/web'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the single-page app under /app/: its files (hashed assets cached for a year, index.html never
 * cached), and index.html for any other GET under /app/ that asks for HTML (deep links such as
 * /app/projects/:id); `/` redirects to /app/. API routes are untouched: nothing outside /app/ and `/`
 * is answered here. When the app is not built, /app/ answers 404 saying so.
 */
export function serveWebApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const dir = webAppDirectory();
  express.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && req.path === '/')
      return res.redirect(302, `${WEB_APP_PATH}/`);
    next();
  });
  if (!dir) {
    express.use(WEB_APP_PATH, (_req: Request, res: Response) => {
      res
        .status(404)
        .json({ statusCode: 404, error: 'NOT_FOUND', message: 'The web app is not built: npm run build:web' });
    });
    return;
  }
  express.useStaticAssets(dir, {
    prefix: `${WEB_APP_PATH}/`,
    index: false,
    setHeaders: (res: Response, file: string) => {
      res.setHeader('Cache-Control', file.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  express.use(WEB_APP_PATH, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    // A missing file (a path with an extension) stays a 404; everything else is a route of the app.
    if (/\.[A-Za-z0-9]+$/.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(join(dir, 'index.html'));
  });
}
