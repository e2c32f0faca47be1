// Pages for logged-in users: a visitor without a session goes to /login (and comes back after);
// while /api/me loads or fails, a full-page message.
import type { User } from '@filestore/contract';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useMe } from '../api/get-me.ts';
import { loginPath } from '../navigation/next-path.ts';
import { useI18n } from '../i18n/use-i18n.ts';

export function RequireUser({ children }: { children: (user: User) => ReactNode }) {
  const { t, errorText } = useI18n();
  const me = useMe();
  const location = useLocation();

  if (isApiError(me.error) && me.error.status === 401) {
    return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  }
  if (me.data) return children(me.data);
  return (
    <div className="page-message" role={me.isError ? 'alert' : 'status'}>
      {me.isError ? (
        <>
          <p>{t('app.loadFailed', { reason: errorText(me.error) })}</p>
          <button type="button" className="button" onClick={() => void me.refetch()}>
            {t('app.retry')}
          </button>
        </>
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
    </div>
  );
}
