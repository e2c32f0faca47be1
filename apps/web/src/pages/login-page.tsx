import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../api/login.ts';
import { AuthForm } from '../components/auth-form.tsx';
import { useI18n } from '../i18n/use-i18n.ts';
import { safeNextPath } from '../navigation/next-path.ts';

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const login = useLogin();
  // Back to the page that asked for a login (a share page, a folder), else the drive.
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  return (
    <AuthForm
      title={t('auth.loginTitle')}
      submitLabel={t('auth.loginButton')}
      showHints={false}
      pending={login.isPending}
      error={login.error}
      onSubmit={(credentials) =>
        login.mutate(credentials, { onSuccess: () => navigate(next, { replace: true }) })
      }
      footer={
        <>
          {t('auth.noAccount')}{' '}
          <Link to={{ pathname: '/register', search: params.toString() }}>
            {t('auth.toRegister')}
          </Link>
        </>
      }
    />
  );
}
