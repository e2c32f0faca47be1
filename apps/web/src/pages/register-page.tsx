import { Link, useNavigate } from 'react-router';
import { useLogin } from '../api/login.ts';
import { useRegister } from '../api/register.ts';
import { AuthForm } from '../components/auth-form.tsx';
import { useI18n } from '../i18n/use-i18n.ts';

export function RegisterPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const register = useRegister();
  const login = useLogin();
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
            login.mutate(credentials, { onSuccess: () => navigate('/', { replace: true }) }),
        })
      }
      footer={
        <>
          {t('auth.haveAccount')} <Link to="/login">{t('auth.toLogin')}</Link>
        </>
      }
    />
  );
}
