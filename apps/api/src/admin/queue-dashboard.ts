import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { AuthService } from '#libs/auth';
import { AppConfig } from '#libs/config';
import { QueueName, redisOptionsFromUrl } from '#libs/queue';

/** Where the dashboard lives and the name of its cookie. */
export const QUEUE_DASHBOARD_PATH = '/admin/queues';
export const QUEUE_DASHBOARD_COOKIE = 'rbm_queue_dashboard';

/**
 * Mounts Bull Board (the BullMQ dashboard) at /admin/queues for admins only. A browser cannot send a
 * bearer header when it opens a page, so an admin first calls POST /admin/queue-dashboard/session
 * with their bearer token; the answer sets an HttpOnly, SameSite=Strict cookie holding their access
 * token, scoped to /admin/queues. Every dashboard request (pages and its JSON API) is checked like an
 * API call: a valid, unrevoked session of an active admin. The dashboard's own queue is a producer
 * connection only; the API never processes jobs.
 * @returns a function closing the dashboard's Redis connection
 */
export function mountQueueDashboard(app: INestApplication): () => Promise<void> {
  const config = app.get(AppConfig);
  const auth = app.get(AuthService);
  const queue = new Queue(QueueName.Reports, {
    connection: { ...redisOptionsFromUrl(config.REDIS_URL), enableOfflineQueue: false },
    prefix: config.QUEUE_PREFIX,
  });
  queue.on('error', () => undefined);
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(queue, { readOnlyMode: false })], serverAdapter: board });
  const requireAdmin = async (req: Request, res: Response, next: NextFunction) => {
    const token = (req.cookies as Record<string, string> | undefined)?.[QUEUE_DASHBOARD_COOKIE];
    try {
      if (!token) throw new Error('no session');
      const user = await auth.authenticate(token);
      if (!user.scope.isAdmin) throw new Error('not an admin');
      next();
    } catch {
      res.status(401).json({
        statusCode: 401,
        error: 'UNAUTHORIZED',
        code: 'UNAUTHENTICATED',
        params: {},
        message: 'The queue dashboard is for admins: open a session with POST /admin/queue-dashboard/session',
      });
    }
  };
  app.use(QUEUE_DASHBOARD_PATH, cookieParser(), requireAdmin, board.getRouter());
  return () => queue.close();
}
