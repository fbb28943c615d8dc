import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

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

// Helmet has no Permissions-Policy middleware, so this one header is set here.
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=()';

/**
 * The fleet's security headers, through helmet: nosniff, `X-Frame-Options: DENY`,
 * `X-XSS-Protection: 0`, `Referrer-Policy: strict-origin-when-cross-origin`, a strict CSP,
 * `Cross-Origin-Resource-Policy: same-origin`, `X-Permitted-Cross-Domain-Policies: none`, HSTS
 * only when asked (production), plus `Permissions-Policy`. helmet's headers for HTML documents
 * (`Cross-Origin-Opener-Policy`, `Origin-Agent-Cluster`, `X-DNS-Prefetch-Control`,
 * `X-Download-Options`) are left to pages such as the docs page: an API answers JSON.
 *
 * @see https://helmetjs.github.io/
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): RequestHandler {
  const helmetMiddleware = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...API_CONTENT_SECURITY_POLICY } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: options.hsts === true ? { maxAge: 31_536_000, includeSubDomains: true, preload: false } : false,
    xContentTypeOptions: true,
    xXssProtection: true,
    // Headers that only act on HTML documents (or on Internet Explorer 8) and do nothing for a
    // JSON answer; each costs every response a header. The docs page, a document, sends them.
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
  });
  return function securityHeadersMiddleware(req: Request, res: Response, next: NextFunction): void {
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    helmetMiddleware(req, res, next);
  };
}
