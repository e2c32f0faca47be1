// Sharing a file: choose how long the link lives, whether it needs an extraction code (short, or
// long: far harder to guess) and how many downloads it allows; then the link and the code, each
// with a Copy button. The code is shown only here: the server keeps its hash.
import type { FileItem, ShareCreated } from '@filestore/contract';
import { useState, type FormEvent } from 'react';
import { useCreateShare } from '../api/create-share.ts';
import { formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import {
  EXPIRY_CHOICES,
  expiresInSeconds,
  parseDownloadLimit,
  type ExpiryChoice,
} from '../shares/expiry.ts';
import { absoluteShareUrl } from '../shares/share-url.ts';
import { CopyField } from './copy-field.tsx';
import { Dialog } from './dialog.tsx';
import { ErrorLine } from './error-line.tsx';

function ShareForm({ file, onCreated }: { file: FileItem; onCreated: (s: Created) => void }) {
  const { t } = useI18n();
  const [expiry, setExpiry] = useState<ExpiryChoice>('7d');
  const [withCode, setWithCode] = useState(true);
  const [longCode, setLongCode] = useState(false);
  const [limit, setLimit] = useState('');
  const create = useCreateShare();
  const maxDownloads = parseDownloadLimit(limit);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (maxDownloads === 'invalid') return;
    create.mutate(
      {
        fileId: file.id,
        expiresInSeconds: expiresInSeconds(expiry),
        withCode: withCode && longCode ? 'long' : withCode,
        maxDownloads,
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <form className="share-form" onSubmit={submit} noValidate>
      <fieldset className="choice-group">
        <legend>{t('share.expiry')}</legend>
        {EXPIRY_CHOICES.map((choice) => (
          <label key={choice} className="choice">
            <input
              type="radio"
              name="expiry"
              checked={expiry === choice}
              onChange={() => setExpiry(choice)}
            />
            {t(`share.expiry.${choice}`)}
          </label>
        ))}
      </fieldset>
      <label className="choice">
        <input type="checkbox" checked={withCode} onChange={(e) => setWithCode(e.target.checked)} />
        {t('share.withCode')}
      </label>
      <label className="choice choice-nested">
        <input
          type="checkbox"
          checked={withCode && longCode}
          disabled={!withCode}
          onChange={(e) => setLongCode(e.target.checked)}
        />
        {t('share.longCode')}
      </label>
      <label className="field">
        <span>{t('share.limit')}</span>
        <input
          inputMode="numeric"
          placeholder={t('share.noLimit')}
          value={limit}
          aria-invalid={maxDownloads === 'invalid'}
          onChange={(e) => setLimit(e.target.value)}
        />
        {maxDownloads === 'invalid' && (
          <small className="form-error">{t('share.limitInvalid')}</small>
        )}
      </label>
      <ErrorLine error={create.error} />
      <button
        type="submit"
        className="button button-primary"
        disabled={create.isPending || maxDownloads === 'invalid'}
      >
        {t('share.create')}
      </button>
    </form>
  );
}

type Created = ShareCreated['share'];

function ShareResult({ share }: { share: Created }) {
  const { t, locale } = useI18n();
  return (
    <div className="share-result" data-testid="share-result">
      <CopyField
        label={t('share.link')}
        value={absoluteShareUrl(share.url, window.location.origin)}
      />
      {share.code && <CopyField label={t('share.code')} value={share.code} />}
      <p className="muted">
        {share.expiresAt
          ? t('share.expiresAt', { date: formatFullDate(share.expiresAt, locale) })
          : t('share.neverExpires')}
      </p>
    </div>
  );
}

export function ShareDialog({ file, onClose }: { file: FileItem; onClose: () => void }) {
  const { t } = useI18n();
  const [created, setCreated] = useState<Created | null>(null);
  return (
    <Dialog title={t('share.title', { name: file.name })} onClose={onClose}>
      {created ? <ShareResult share={created} /> : <ShareForm file={file} onCreated={setCreated} />}
      <div className="dialog-actions">
        <button
          type="button"
          className={created ? 'button button-primary' : 'button'}
          onClick={onClose}
        >
          {created ? t('share.done') : t('files.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
