// Hardening headers (issue 10, item 11), chosen for this app rather than helmet's defaults:
// - every answer: nosniff, a Referrer-Policy, no cross-origin embedding or opener, and a CSP that
//   lets an API answer load and run nothing;
// - the SPA: scripts, styles, images, workers and frames from our origin only, no inline script,
//   and never framed by another page (`frame-ancestors 'none'`);
// - user content (downloads, the viewer's inline bytes): `sandbox`, so whatever a file holds runs,
//   if at all, in an opaque origin without our cookies or storage (files/download.ts).
import helmet from 'helmet';

const SIX_MONTHS_SECONDS = 180 * 24 * 3600;

/** For every answer; the SPA and user content replace the CSP with their own. */
export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    // The SPA frames API answers itself: PDFs in the viewer, error answers of the zip form.
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'self'"] },
  },
  crossOriginOpenerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  // Share links carry their token in the path: it must not leave in a Referer. Not `no-referrer`:
  // under it browsers send `Origin: null` on the SPA's own POSTs, which the CSRF check refuses.
  referrerPolicy: { policy: 'same-origin' },
  // Browsers heed it over HTTPS only; sibling subdomains are other apps, not ours to upgrade.
  strictTransportSecurity: { maxAge: SIX_MONTHS_SECONDS, includeSubDomains: false },
  xFrameOptions: { action: 'sameorigin' },
});

/**
 * The SPA's pages and assets: everything from our origin (Vite emits no inline script, styles are
 * files too), nothing framing them.
 */
export const spaSecurityHeaders = [
  helmet.xFrameOptions({ action: 'deny' }),
  helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // The upload workers hash with WebAssembly: compiling it is allowed, eval is not.
      scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  }),
];

/**
 * Bytes of user content: a sandbox (no script, no same-origin access, no plugins), framed by the
 * SPA's viewer only. Chrome's PDF viewer is a plugin: it shows a "blocked" page for a sandboxed
 * PDF, which stays one click from its download.
 */
export const USER_CONTENT_CSP = "sandbox; frame-ancestors 'self'";
