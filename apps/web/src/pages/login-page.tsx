import { Link, useNavigate } from 'react-router';
import { useLogin } from '../api/login.ts';
import { AuthForm } from '../components/auth-form.tsx';
import { useI18n } from '../i18n/use-i18n.ts';

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const login = useLogin();
  return (
    <AuthForm
      title={t('auth.loginTitle')}
      submitLabel={t('auth.loginButton')}
      showHints={false}
      pending={login.isPending}
      error={login.error}
      onSubmit={(credentials) =>
        login.mutate(credentials, { onSuccess: () => navigate('/', { replace: true }) })
      }
      footer={
        <>
          {t('auth.noAccount')} <Link to="/register">{t('auth.toRegister')}</Link>
        </>
      }
    />
  );
}
