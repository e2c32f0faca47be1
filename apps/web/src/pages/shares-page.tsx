// "My shares": every live link with what it shares, whether it needs a code, when it expires and
// how often it was opened and downloaded; copy a link, or revoke it (after asking).
import type { ShareItem } from '@filestore/contract';
import { useState } from 'react';
import { useShares } from '../api/get-shares.ts';
import { useRevokeShare } from '../api/revoke-share.ts';
import { ListPage } from '../components/list-page.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { CopyButton } from '../components/copy-field.tsx';
import { formatBytes } from '../format/format-bytes.ts';
import { formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { absoluteShareUrl } from '../shares/share-url.ts';
import { TableHead } from '../components/table-head.tsx';
import { LoadFailed } from '../components/load-failed.tsx';

function RevokeDialog({ share, onClose }: { share: ShareItem; onClose: () => void }) {
  const { t } = useI18n();
  const revoke = useRevokeShare();
  return (
    <ConfirmDialog
      title={t('shares.revokeTitle')}
      body={t('shares.revokeBody', { name: share.name })}
      confirmLabel={t('shares.revoke')}
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate(share.token, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

function ShareRow({ share, onRevoke }: { share: ShareItem; onRevoke: (s: ShareItem) => void }) {
  const { t, locale } = useI18n();
  const url = absoluteShareUrl(share.url, window.location.origin);
  const downloads =
    share.maxDownloads === null
      ? String(share.downloads)
      : t('shares.downloadsOfMax', { count: share.downloads, max: share.maxDownloads });
  return (
    <tr data-testid="share-row" data-token={share.token}>
      <td className="file-name">
        <span className="file-name-text" title={share.name}>
          {share.name}
        </span>
        <a className="share-link muted" href={url} target="_blank" rel="noreferrer">
          {url}
        </a>
      </td>
      <td className="file-size">{formatBytes(share.size)}</td>
      <td className="share-code">{share.hasCode ? t('shares.withCode') : t('shares.noCode')}</td>
      <td className="file-date">
        {share.expiresAt ? formatFullDate(share.expiresAt, locale) : t('share.expiry.never')}
      </td>
      <td className="share-counts">{t('shares.counts', { views: share.views, downloads })}</td>
      <td className="file-actions">
        <CopyButton value={url} label={t('shares.copyLink')} />
        <button
          type="button"
          className="button button-small button-danger-text"
          onClick={() => onRevoke(share)}
        >
          {t('shares.revoke')}
        </button>
      </td>
    </tr>
  );
}

function SharesList() {
  const { t, errorText } = useI18n();
  const shares = useShares();
  const [revoking, setRevoking] = useState<ShareItem | null>(null);

  if (shares.isError) {
    return (
      <LoadFailed
        message={t('shares.loadFailed', { reason: errorText(shares.error) })}
        onRetry={() => void shares.refetch()}
      />
    );
  }
  if (shares.isPending) return <p className="placeholder muted">{t('app.loading')}</p>;
  if (shares.data.length === 0) {
    return (
      <div className="placeholder empty-state">
        <p className="empty-title">{t('shares.empty')}</p>
        <p className="muted">{t('shares.emptyHint')}</p>
      </div>
    );
  }
  return (
    <>
      <table className="file-table shares-table">
        <TableHead
          columns={[
            { label: t('files.name') },
            { label: t('files.size'), className: 'file-size' },
            { label: t('share.code'), className: 'share-code' },
            { label: t('shares.expires'), className: 'file-date' },
            { label: t('shares.activity'), className: 'share-counts' },
          ]}
        />
        <tbody>
          {shares.data.map((share) => (
            <ShareRow key={share.token} share={share} onRevoke={setRevoking} />
          ))}
        </tbody>
      </table>
      {revoking && <RevokeDialog share={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}

export function SharesPage() {
  const { t } = useI18n();
  return (
    <ListPage title={t('shares.title')}>
      <SharesList />
    </ListPage>
  );
}
