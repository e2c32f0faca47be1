// One item in the trash: its name (a folder with its icon), where it was deleted from, its size,
// when it was deleted and when it will be purged, and Restore / Delete forever.
import { formatBytes } from '../format/format-bytes.ts';
import { formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import type { TrashItem } from '../api/get-trash.ts';
import { DateCell } from './row-cells.tsx';
import { FolderIcon } from './folder-icon.tsx';

interface TrashRowProps {
  item: TrashItem;
  showPurge: boolean;
  restoring: boolean;
  onRestore: (item: TrashItem) => void;
  onDeleteForever: (item: TrashItem) => void;
}

export function TrashRow(props: TrashRowProps) {
  const { item, showPurge, restoring, onRestore, onDeleteForever } = props;
  const { t, locale } = useI18n();
  return (
    <tr data-testid="trash-row" data-id={item.id}>
      <td className="file-name">
        {item.kind === 'folder' && (
          <span title={t('trash.kindFolder')}>
            <FolderIcon />
          </span>
        )}
        <span className="file-name-text" title={item.name}>
          {item.name}
        </span>
      </td>
      <td className="trash-path muted" title={item.originalPath}>
        {item.originalPath}
      </td>
      <td className="file-size">{formatBytes(item.size)}</td>
      <DateCell iso={item.deletedAt} />
      {showPurge && (
        <td className="file-date">
          {item.purgeAt && (
            <time dateTime={item.purgeAt}>{formatFullDate(item.purgeAt, locale)}</time>
          )}
        </td>
      )}
      <td className="file-actions">
        <button
          type="button"
          className="button button-small"
          disabled={restoring}
          onClick={() => onRestore(item)}
        >
          {t('trash.restore')}
        </button>
        <button
          type="button"
          className="button button-small button-danger-text"
          onClick={() => onDeleteForever(item)}
        >
          {t('trash.deleteForever')}
        </button>
      </td>
    </tr>
  );
}
