import { expect } from 'chai';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import request from 'supertest';
import { middlewareChain } from '../../src/app/middleware-chain.js';

/** An app that runs `chain`, then a route that lists what ran; errors answer 500 with their message. */
function appWith(chain: RequestHandler): express.Express {
  const app = express();
  app.use((_req, res, next) => {
    res.locals.ran = [];
    next();
  });
  app.use(chain);
  app.get('/', (_req, res) => res.json({ ran: res.locals.ran as string[] }));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).json({ error: error.message, ran: res.locals.ran as string[] });
  });
  return app;
}

const step =
  (name: string): RequestHandler =>
  (_req, res, next) => {
    (res.locals.ran as string[]).push(name);
    next();
  };

describe('middlewareChain', () => {
  it('runs the handlers in order, also across an asynchronous next()', async () => {
    const later: RequestHandler = (_req, res, next) => {
      setTimeout(() => {
        (res.locals.ran as string[]).push('later');
        next();
      }, 5);
    };
    const res = await request(appWith(middlewareChain([step('a'), later, step('b')])))
      .get('/')
      .expect(200);
    expect(res.body).to.deep.equal({ ran: ['a', 'later', 'b'] });
  });

  it('leaves for the error handler on next(error), a throw, or a rejected promise, skipping the rest', async () => {
    const failing: Record<string, RequestHandler> = {
      'next(error)': (_req, _res, next) => next(new Error('passed')),
      throw: () => {
        throw new Error('thrown');
      },
      'rejected promise': async () => {
        await Promise.resolve();
        throw new Error('rejected');
      },
      'throw after an asynchronous next()': (_req, _res, next) => setImmediate(next),
    };
    const expected: Record<string, { error: string; ran: string[] }> = {
      'next(error)': { error: 'passed', ran: ['a'] },
      throw: { error: 'thrown', ran: ['a'] },
      'rejected promise': { error: 'rejected', ran: ['a'] },
      'throw after an asynchronous next()': { error: 'thrown later', ran: ['a'] },
    };
    const throwsLater: RequestHandler = () => {
      throw new Error('thrown later');
    };
    for (const [name, handler] of Object.entries(failing)) {
      const chain =
        name === 'throw after an asynchronous next()'
          ? [step('a'), handler, throwsLater, step('never')]
          : [step('a'), handler, step('never')];
      const res = await request(appWith(middlewareChain(chain)))
        .get('/')
        .expect(500);
      expect(res.body, name).to.deep.equal(expected[name]);
    }
  });

  it('is the handler itself when there is only one, and a pass-through when there is none', async () => {
    const only = step('only');
    expect(middlewareChain([only])).to.equal(only);
    const res = await request(appWith(middlewareChain([])))
      .get('/')
      .expect(200);
    expect(res.body).to.deep.equal({ ran: [] });
  });
});
