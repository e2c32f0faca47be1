// The public side of a link, for anyone holding it: GET /api/public/shares/:token (the code in
// X-Share-Code) → {name, size, owner, expiresAt}; 401 code_required, 403 bad_code, 404, 410
// share_gone, 429 with Retry-After. Its content and "save to my drive" take the same code.
import type { FileResponse, PublicShare } from '@filestore/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from './client.ts';
import { filesQueryKey } from './get-files.ts';
import { meQueryKey } from './get-me.ts';

const sharePath = (token: string) => `/api/public/shares/${encodeURIComponent(token)}`;
// The contract's SHARE_CODE_HEADER; the SPA imports only types from the contract (a value would
// bring zod into the bundle).
const codeHeader = (code: string): Record<string, string> => (code ? { 'X-Share-Code': code } : {});

export const usePublicShare = (token: string, code: string) =>
  useQuery({
    queryKey: ['public-share', token, code],
    queryFn: ({ signal }) =>
      apiFetch<PublicShare>(sharePath(token), { headers: codeHeader(code), signal }),
    // A wrong code, a dead link: asking again will not change the answer. Each ask counts as a
    // view of the link, so it is asked once per visit, not again on every return to the tab.
    retry: false,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

/** A plain link to the bytes: the code rides in the query so `<a download>` can carry it. */
export const publicContentUrl = (token: string, code: string) =>
  `${sharePath(token)}/content${code ? `?${new URLSearchParams({ code })}` : ''}`;

/** POST /api/shares/:token/save → 201 {file}: the file in the caller's root, no bytes moved. */
export const saveShare = async ({ token, code }: { token: string; code: string }) =>
  (
    await apiFetch<FileResponse>(`/api/shares/${encodeURIComponent(token)}/save`, {
      method: 'POST',
      headers: codeHeader(code),
    })
  ).file;

export function useSaveShare() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: saveShare,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: filesQueryKey }),
        queryClient.invalidateQueries({ queryKey: meQueryKey }),
      ]),
  });
}
