// A file's "Versions": its current content, then the earlier ones (newest first) that uploads
// replaced, each to download or restore. Restoring makes that content current and keeps the one
// it replaces as a version. Versions count toward the quota: the dialog says so.
import type { FileItem, VersionItem } from '@filestore/contract';
import { useVersions } from '../api/get-versions.ts';
import { useRestoreVersion } from '../api/restore-version.ts';
import { versionContentUrl } from '../api/version-content.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { Dialog } from './dialog.tsx';
import { ErrorLine } from './error-line.tsx';
import { TableHead } from './table-head.tsx';

interface VersionsDialogProps {
  file: FileItem;
  onClose: () => void;
}

export function VersionsDialog({ file: opened, onClose }: VersionsDialogProps) {
  const { t, locale, errorText } = useI18n();
  const versions = useVersions(opened.id);
  const restore = useRestoreVersion();
  // After a restore the file's content (size, modified time) is the restored one.
  const file = restore.data ?? opened;

  const row = (version: VersionItem) => {
    const date = formatFullDate(version.createdAt, locale);
    return (
      <tr key={version.id} data-testid="version-row" data-version-id={version.id}>
        <td className="file-date">
          <time dateTime={version.createdAt}>{date}</time>
        </td>
        <td className="file-size">{formatBytes(version.size)}</td>
        <td className="version-sha1 muted" title={version.sha1}>
          {version.sha1.slice(0, 10)}
        </td>
        <td className="file-actions">
          <a
            className="button button-small"
            href={versionContentUrl(file.id, version.id)}
            download={file.name}
            aria-label={t('versions.download', { date })}
          >
            {t('files.download')}
          </a>
          <button
            type="button"
            className="button button-small"
            disabled={restore.isPending}
            onClick={() => restore.mutate({ fileId: file.id, versionId: version.id })}
          >
            {t('versions.restore')}
          </button>
        </td>
      </tr>
    );
  };

  return (
    <Dialog title={t('versions.title', { name: file.name })} onClose={onClose} wide>
      <p>
        {t('versions.current', {
          size: formatBytes(file.size),
          date: formatFullDate(file.updatedAt, locale),
        })}
      </p>
      <p className="muted">{t('versions.quotaNote')}</p>
      {restore.isSuccess && (
        <p className="form-success" role="status">
          {t('versions.restored')}
        </p>
      )}
      <ErrorLine error={restore.error} />
      {versions.isError ? (
        <p className="form-error" role="alert">
          {t('versions.loadFailed', { reason: errorText(versions.error) })}
        </p>
      ) : versions.isPending ? (
        <p className="muted">{t('app.loading')}</p>
      ) : versions.data.length === 0 ? (
        <p className="muted">{t('versions.none')}</p>
      ) : (
        <table className="file-table versions-table">
          <TableHead
            columns={[
              { label: t('versions.savedAt'), className: 'file-date' },
              { label: t('files.size'), className: 'file-size' },
              { label: 'SHA-1' },
            ]}
          />
          <tbody>{versions.data.map(row)}</tbody>
        </table>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('viewer.close')}
        </button>
      </div>
    </Dialog>
  );
}
