import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import { headerStore } from './header-store.js';
import { recordHeaders } from './prepared-headers.js';

/** Options of {@link securityHeaders}. */
export interface SecurityHeadersOptions {
  /** Sends HSTS (`max-age=31536000; includeSubDomains`); on only in production. @default false */
  readonly hsts?: boolean;
}

/** The Content-Security-Policy of a JSON API: nothing may load, nothing may frame it. */
export const API_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
} as const;

// Helmet has no Permissions-Policy middleware, so this one header is set here (first, as before).
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';
function permissionsPolicy(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
  next();
}

/**
 * helmet's options for API answers: the one place that says which security headers an API
 * response carries and their values. `X-Powered-By` is never set (the pipeline disables it), so
 * helmet need not remove it from every response.
 * @internal
 */
export function apiHelmetOptions(options: SecurityHeadersOptions = {}): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: { ...API_CONTENT_SECURITY_POLICY } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity:
      options.hsts === true ? { maxAge: 31_536_000, includeSubDomains: true, preload: false } : false,
    xContentTypeOptions: true,
    xXssProtection: true,
    xPoweredBy: false,
    // Headers that only act on HTML documents (or on Internet Explorer 8) and do nothing for a
    // JSON answer; each costs every response a header. The docs page, a document, sends them.
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
  };
}

/**
 * The fleet's security headers, through helmet: nosniff, `X-Frame-Options: DENY`,
 * `X-XSS-Protection: 0`, `Referrer-Policy: strict-origin-when-cross-origin`, a strict CSP,
 * `Cross-Origin-Resource-Policy: same-origin`, `X-Permitted-Cross-Domain-Policies: none`, HSTS
 * only when asked (production), plus `Permissions-Policy`. helmet's headers for HTML documents
 * (`Cross-Origin-Opener-Policy`, `Origin-Agent-Cluster`, `X-DNS-Prefetch-Control`,
 * `X-Download-Options`) are left to pages such as the docs page: an API answers JSON.
 * helmet runs once, when the middleware is made; each response gets what it set, written in one
 * loop (helmet's own middleware would walk its chain of a dozen middleware per response).
 *
 * @see https://helmetjs.github.io/
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): RequestHandler {
  const { pairs } = recordHeaders(permissionsPolicy, helmet(apiHelmetOptions(options)));
  const store = headerStore();
  return function securityHeadersMiddleware(_req: Request, res: Response, next: NextFunction): void {
    store.set(res, pairs);
    next();
  };
}
