import { Link, useNavigate, useSearchParams } from 'react-router';
import { useLogin } from '../api/login.ts';
import { useRegister } from '../api/register.ts';
import { AuthForm } from '../components/auth-form.tsx';
import { useI18n } from '../i18n/use-i18n.ts';
import { safeNextPath } from '../navigation/next-path.ts';

export function RegisterPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const register = useRegister();
  const login = useLogin();
  // Back to the page that asked for a login (a share page, a folder), else the drive.
  const [params] = useSearchParams();
  const next = safeNextPath(params.get('next'));
  return (
    <AuthForm
      title={t('auth.registerTitle')}
      submitLabel={t('auth.registerButton')}
      showHints
      pending={register.isPending || login.isPending}
      error={register.error ?? login.error}
      // Registering only creates the account; a new user expects to be logged in right after.
      onSubmit={(credentials) =>
        register.mutate(credentials, {
          onSuccess: () =>
            login.mutate(credentials, { onSuccess: () => navigate(next, { replace: true }) }),
        })
      }
      footer={
        <>
          {t('auth.haveAccount')}{' '}
          <Link to={{ pathname: '/login', search: params.toString() }}>{t('auth.toLogin')}</Link>
        </>
      }
    />
  );
}
