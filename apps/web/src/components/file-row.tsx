// One file in the table: name (or the rename field), size, date, and its actions.
import type { FileItem } from '@filestore/contract';
import { useState } from 'react';
import { fileContentUrl } from '../api/file-content.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { formatDate, formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { RenameForm } from './rename-form.tsx';

interface FileRowProps {
  file: FileItem;
  onDelete: (file: FileItem) => void;
}

export function FileRow({ file, onDelete }: FileRowProps) {
  const { t, locale } = useI18n();
  const [renaming, setRenaming] = useState(false);
  return (
    <tr data-testid="file-row" data-file-id={file.id}>
      <td className="file-name">
        {renaming ? (
          <RenameForm file={file} onDone={() => setRenaming(false)} />
        ) : (
          <span className="file-name-text" title={file.name}>
            {file.name}
          </span>
        )}
      </td>
      <td className="file-size">{formatBytes(file.size)}</td>
      <td className="file-date">
        <time dateTime={file.updatedAt} title={formatFullDate(file.updatedAt, locale)}>
          {formatDate(file.updatedAt, { locale, justNow: t('date.justNow') })}
        </time>
      </td>
      <td className="file-actions">
        <a className="button button-small" href={fileContentUrl(file.id)} download={file.name}>
          {t('files.download')}
        </a>
        <button
          type="button"
          className="button button-small"
          disabled={renaming}
          onClick={() => setRenaming(true)}
        >
          {t('files.rename')}
        </button>
        <button
          type="button"
          className="button button-small button-danger-text"
          onClick={() => onDelete(file)}
        >
          {t('files.delete')}
        </button>
      </td>
    </tr>
  );
}
