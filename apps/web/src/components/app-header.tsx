// The bar above the drive: the app, the storage used, the user, language, and logging out.
import type { User } from '@filestore/contract';
import { useNavigate } from 'react-router';
import { useLogout } from '../api/logout.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { LanguageToggle } from './language-toggle.tsx';
import { Logo } from './logo.tsx';

function Usage({ user }: { user: User }) {
  const { t } = useI18n();
  const used = formatBytes(user.usedBytes);
  if (user.quotaBytes === null) {
    return (
      <span className="usage" data-testid="usage">
        {t('header.used', { used })}
      </span>
    );
  }
  return (
    <span className="usage" data-testid="usage">
      {t('header.usedOfQuota', { used, quota: formatBytes(user.quotaBytes) })}
      <progress max={user.quotaBytes} value={Math.min(user.usedBytes, user.quotaBytes)} />
    </span>
  );
}

export function AppHeader({ user }: { user: User }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const logout = useLogout();
  return (
    <header className="app-header">
      <Logo />
      <div className="app-header-end">
        <Usage user={user} />
        <span className="user-name" data-testid="user-name">
          {user.username}
        </span>
        <LanguageToggle />
        <button
          type="button"
          className="button"
          disabled={logout.isPending}
          onClick={() => logout.mutate(undefined, { onSuccess: () => navigate('/login') })}
        >
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
