// The bar above the drive: the app, its pages, the storage used (the trash and earlier versions
// included, as its tooltip says), the user, language, logging out.
import type { User } from '@filestore/contract';
import { NavLink, useNavigate } from 'react-router';
import { useLogout } from '../api/logout.ts';
import { quotaUsage } from '../drive/quota.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { LanguageToggle } from './language-toggle.tsx';
import { Logo } from './logo.tsx';

function Usage({ user }: { user: User }) {
  const { t } = useI18n();
  const used = formatBytes(user.usedBytes);
  if (user.quotaBytes === null) {
    return (
      <span className="usage" data-testid="usage" title={t('header.quotaNote')}>
        {t('header.used', { used })}
      </span>
    );
  }
  const { percent, level } = quotaUsage(user.usedBytes, user.quotaBytes);
  const label = t('header.usedOfQuota', { used, quota: formatBytes(user.quotaBytes) });
  return (
    <span
      className={`usage is-${level}`}
      data-testid="usage"
      title={`${percent}% · ${t('header.quotaNote')}`}
    >
      {label}
      <span
        className="quota-bar"
        role="meter"
        aria-label={t('header.quota')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={label}
      >
        <span className="quota-fill" style={{ width: `${percent}%` }} />
      </span>
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
      <nav className="app-nav" aria-label={t('header.pages')}>
        <NavLink to="/" end>
          {t('drive.title')}
        </NavLink>
        <NavLink to="/shares">{t('shares.title')}</NavLink>
        <NavLink to="/trash">{t('trash.title')}</NavLink>
      </nav>
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
