// What can be done with the checked rows: download them as one zip, move, delete, or unselect.
import { useState } from 'react';
import { downloadArchive } from '../api/download-archive.ts';
import { splitRefs, type NamedRef } from '../drive/items.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { ErrorLine } from './error-line.tsx';

interface SelectionBarProps {
  items: NamedRef[];
  onMove: () => void;
  onDelete: () => void;
  onClear: () => void;
}

/** One item keeps its name in the zip's name; several go into "files.zip" ("文件.zip"). */
const archiveName = (items: NamedRef[], fallback: string) =>
  `${items.length === 1 ? items[0]!.name : fallback}.zip`;

export function SelectionBar({ items, onMove, onDelete, onClear }: SelectionBarProps) {
  const { t } = useI18n();
  const [archiveError, setArchiveError] = useState<Error | null>(null);
  const download = () => {
    setArchiveError(null);
    downloadArchive(
      { ...splitRefs(items), name: archiveName(items, t('drive.archiveName')) },
      setArchiveError,
    );
  };
  return (
    <div className="selection-bar" role="toolbar" aria-label={t('drive.selectionActions')}>
      <span className="selection-count">{t('drive.selected', { count: items.length })}</span>
      <button type="button" className="button button-small" onClick={download}>
        {t('files.download')}
      </button>
      <button type="button" className="button button-small" onClick={onMove}>
        {t('drive.moveTo')}
      </button>
      <button type="button" className="button button-small button-danger-text" onClick={onDelete}>
        {t('files.delete')}
      </button>
      <button type="button" className="button button-small button-ghost" onClick={onClear}>
        {t('drive.clearSelection')}
      </button>
      <ErrorLine error={archiveError} />
    </div>
  );
}
