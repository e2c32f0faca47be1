// The card shared by the login and register pages: username, password, one submit button, the
// error in words, and a link to the other page.
import type { Credentials } from '@filestore/contract';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';
import { LanguageToggle } from './language-toggle.tsx';
import { Logo } from './logo.tsx';
import { ErrorLine } from './error-line.tsx';

interface AuthFormProps {
  title: string;
  submitLabel: string;
  /** Show the username and password rules under the fields (when choosing them). */
  showHints: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (credentials: Credentials) => void;
  footer: ReactNode;
}

export function AuthForm(props: AuthFormProps) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit({ username: username.trim(), password });
  };

  return (
    <div className="auth-page">
      <div className="auth-corner">
        <LanguageToggle />
      </div>
      <main className="auth-card">
        <Logo />
        <p className="muted">{t('auth.tagline')}</p>
        <h1>{props.title}</h1>
        <form onSubmit={submit} noValidate>
          <label className="field">
            <span>{t('auth.username')}</span>
            <input
              name="username"
              autoComplete="username"
              autoFocus
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            {props.showHints && <small className="muted">{t('auth.usernameHint')}</small>}
          </label>
          <label className="field">
            <span>{t('auth.password')}</span>
            <input
              name="password"
              type="password"
              autoComplete={props.showHints ? 'new-password' : 'current-password'}
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            {props.showHints && <small className="muted">{t('auth.passwordHint')}</small>}
          </label>
          <ErrorLine error={props.error} />
          <button
            type="submit"
            className="button button-primary button-block"
            disabled={props.pending}
          >
            {props.pending ? t('auth.working') : props.submitLabel}
          </button>
        </form>
        <p className="auth-footer">{props.footer}</p>
      </main>
    </div>
  );
}
