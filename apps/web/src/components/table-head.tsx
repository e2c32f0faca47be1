// The header row of a list table: its labelled columns, then the row actions' column (named for
// screen readers only).
import { useI18n } from '../i18n/use-i18n.ts';

export interface Column {
  label: string;
  className?: string;
}

export function TableHead({ columns }: { columns: Column[] }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column.label} scope="col" className={column.className}>
            {column.label}
          </th>
        ))}
        <th scope="col" className="file-actions">
          <span className="visually-hidden">{t('files.actions')}</span>
        </th>
      </tr>
    </thead>
  );
}
