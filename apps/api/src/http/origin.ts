import type { Request } from 'express';

/**
 * The app's own origin as the caller's browser sees it: the Host header, or X-Forwarded-Proto and
 * X-Forwarded-Host when a proxy named in TRUSTED_PROXIES set them (Express `trust proxy`).
 */
export const originOf = (req: Request) => `${req.protocol}://${req.host}`;
