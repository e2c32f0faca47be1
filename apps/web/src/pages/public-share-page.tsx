// The page behind a share link, for anyone: what is shared (name, size, owner, expiry), the
// extraction code when the link has one, the download, and "save to my drive" for a visitor who
// is logged in. A dead link (expired, revoked, used up, file deleted: 410) says so plainly.
import type { PublicShare } from '@filestore/contract';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useMe } from '../api/get-me.ts';
import { publicContentUrl, usePublicShare, useSaveShare } from '../api/public-share.ts';
import { LanguageToggle } from '../components/language-toggle.tsx';
import { Logo } from '../components/logo.tsx';
import { formatBytes } from '../format/format-bytes.ts';
import { formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { loginPath } from '../navigation/next-path.ts';
import { ErrorLine } from '../components/error-line.tsx';

function CodeForm({ wrong, onCode }: { wrong: boolean; onCode: (code: string) => void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onCode(code.trim().toUpperCase());
  };
  return (
    <form className="code-form" onSubmit={submit} noValidate>
      <p>{t('public.codeNeeded')}</p>
      <label className="field">
        <span>{t('share.code')}</span>
        <input
          autoFocus
          autoComplete="off"
          spellCheck={false}
          maxLength={16}
          value={code}
          aria-invalid={wrong}
          onChange={(e) => setCode(e.target.value)}
        />
      </label>
      {wrong && (
        <p className="form-error" role="alert">
          {t('public.wrongCode')}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={code.trim() === ''}>
        {t('public.open')}
      </button>
    </form>
  );
}

function SaveToDrive({ token, code }: { token: string; code: string }) {
  const { t } = useI18n();
  const me = useMe();
  const save = useSaveShare();
  if (!me.data) {
    return (
      <p className="muted">
        <Link to={loginPath(`/s/${token}`)}>{t('public.logInToSave')}</Link>
      </p>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={save.isPending || save.isSuccess}
        onClick={() => save.mutate({ token, code })}
      >
        {t('public.save')}
      </button>
      {save.isSuccess && (
        <p className="public-saved" role="status">
          {t('public.saved', { name: save.data.name })} <Link to="/">{t('public.openDrive')}</Link>
        </p>
      )}
      <ErrorLine error={save.error} />
    </>
  );
}

function SharedFile(props: { token: string; code: string; share: PublicShare }) {
  const { t, locale } = useI18n();
  const { name, size, owner, expiresAt } = props.share;
  return (
    <div className="public-file" data-testid="public-share">
      <h1 className="public-name">{name}</h1>
      <dl className="public-facts">
        <dt>{t('files.size')}</dt>
        <dd>{formatBytes(size)}</dd>
        <dt>{t('public.owner')}</dt>
        <dd>{owner}</dd>
        <dt>{t('shares.expires')}</dt>
        <dd>{expiresAt ? formatFullDate(expiresAt, locale) : t('share.expiry.never')}</dd>
      </dl>
      <div className="public-actions">
        <a
          className="button button-primary"
          href={publicContentUrl(props.token, props.code)}
          download={name}
        >
          {t('files.download')}
        </a>
        <SaveToDrive token={props.token} code={props.code} />
      </div>
    </div>
  );
}

function Gone({ message, hint }: { message: string; hint: string }) {
  return (
    <div className="public-gone" role="alert" data-testid="share-gone">
      <h1>{message}</h1>
      <p className="muted">{hint}</p>
    </div>
  );
}

function ShareBody({ token }: { token: string }) {
  const { t, errorText } = useI18n();
  const [code, setCode] = useState('');
  const share = usePublicShare(token, code);
  const err = share.error;

  if (share.data) return <SharedFile token={token} code={code} share={share.data} />;
  if (isApiError(err, 'code_required') || isApiError(err, 'bad_code')) {
    return <CodeForm key={code} wrong={isApiError(err, 'bad_code')} onCode={setCode} />;
  }
  if (isApiError(err, 'share_gone')) {
    return <Gone message={t('public.gone')} hint={t('public.goneHint')} />;
  }
  if (isApiError(err, 'not_found')) {
    return <Gone message={t('public.unknown')} hint={t('public.unknownHint')} />;
  }
  if (isApiError(err) && err.status === 429) {
    const wait = err.retryAfterSeconds ?? 60;
    return (
      <div role="alert">
        <p>{t('public.throttled', { seconds: wait })}</p>
        <button type="button" className="button" onClick={() => void share.refetch()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }
  if (err) return <p role="alert">{errorText(err)}</p>;
  return <p className="muted">{t('app.loading')}</p>;
}

export function PublicSharePage() {
  const { token = '' } = useParams();
  return (
    <div className="auth-page public-page">
      <div className="auth-corner">
        <LanguageToggle />
      </div>
      <main className="auth-card public-card">
        <Link to="/" className="logo-link">
          <Logo />
        </Link>
        <ShareBody token={token} />
      </main>
    </div>
  );
}
