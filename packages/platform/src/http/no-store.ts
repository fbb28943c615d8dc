import type { NextFunction, Request, Response } from 'express';

/** Marks a response as never cacheable (operational routes). */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}
