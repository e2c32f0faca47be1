// The cells file rows and folder rows share: the selection checkbox and the modified date.
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
