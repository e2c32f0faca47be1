// The app's single QueryClient; the upload engine uses it too, to refresh lists after a file lands.
import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, isApiError } from './client.ts';
import { meQueryKey } from './get-me.ts';

// A 4xx will answer the same way again; only network failures and 5xx are worth a retry.
const shouldRetry = (failureCount: number, err: unknown) =>
  failureCount < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500);

export const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    // A session that ended mid-use (expired, logged out in another tab): ask /api/me again; its
    // 401 is what sends the drive page to /login. (A share's 401 code_required is not about it.)
    onError: (err, query) => {
      if (isApiError(err, 'unauthorized') && query.queryKey[0] !== meQueryKey[0]) {
        void queryClient.invalidateQueries({ queryKey: meQueryKey });
      }
    },
  }),
  defaultOptions: {
    queries: { retry: shouldRetry, staleTime: 10_000 },
    mutations: { retry: false },
  },
});
