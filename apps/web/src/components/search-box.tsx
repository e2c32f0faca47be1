import { useI18n } from '../i18n/use-i18n.ts';

export function SearchBox({ value, onChange }: { value: string; onChange: (q: string) => void }) {
  const { t } = useI18n();
  return (
    <label className="search-box">
      <span className="visually-hidden">{t('drive.search')}</span>
      <input
        type="search"
        placeholder={t('drive.searchPlaceholder')}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
