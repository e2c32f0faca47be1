// The requests a browser context sent (method and path), to check which API calls a flow made.
import type { BrowserContext } from '@playwright/test';

export interface SentRequest {
  method: string;
  path: string;
}

export function recordRequests(context: BrowserContext): SentRequest[] {
  const sent: SentRequest[] = [];
  context.on('request', (request) =>
    sent.push({ method: request.method(), path: new URL(request.url()).pathname }),
  );
  return sent;
}
