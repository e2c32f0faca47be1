// A list that could not be loaded: why, and a Retry.
import { useI18n } from '../i18n/use-i18n.ts';

export function LoadFailed({ message, onRetry }: { message: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <div className="placeholder" role="alert">
      <p>{message}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t('app.retry')}
      </button>
    </div>
  );
}
