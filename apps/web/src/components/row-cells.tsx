// What file rows and folder rows share: the selection checkbox, the modified date, and the
// Rename and Delete buttons that end the actions cell.
import { formatDate, formatFullDate } from '../format/format-date.ts';
import { useI18n } from '../i18n/use-i18n.ts';

export function SelectCell(props: { name: string; checked: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  return (
    <td className="file-select">
      <input
        type="checkbox"
        aria-label={t('drive.select', { name: props.name })}
        checked={props.checked}
        onChange={props.onToggle}
      />
    </td>
  );
}

export function DateCell({ iso }: { iso: string }) {
  const { t, locale } = useI18n();
  return (
    <td className="file-date">
      <time dateTime={iso} title={formatFullDate(iso, locale)}>
        {formatDate(iso, { locale, justNow: t('date.justNow') })}
      </time>
    </td>
  );
}

export function RenameDeleteButtons(props: {
  renaming: boolean;
  onRename: () => void;
  onDelete: () => void;
}) {
  const { t } = useI18n();
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={props.renaming}
        onClick={props.onRename}
      >
        {t('files.rename')}
      </button>
      <button
        type="button"
        className="button button-small button-danger-text"
        onClick={props.onDelete}
      >
        {t('files.delete')}
      </button>
    </>
  );
}
