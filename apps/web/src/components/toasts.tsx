// The toasts (toasts/toast-store.ts) at the bottom of the page, announced politely to screen
// readers: the message, its Undo while it can run, and what the undo did.
import { useStore } from 'zustand';
import { useI18n } from '../i18n/use-i18n.ts';
import { toasts, type Toast } from '../toasts/toast-store.ts';

function ToastLine({ toast }: { toast: Toast }) {
  const { t, errorText } = useI18n();
  return (
    <div className="toast" data-testid="toast" data-status={toast.status}>
      <span className="toast-text">
        {toast.status === 'undone'
          ? t('toast.undone')
          : toast.status === 'undoFailed'
            ? t('toast.undoFailed', { reason: errorText(toast.error) })
            : t(toast.message, toast.params)}
      </span>
      {toast.canUndo && toast.status === 'shown' && (
        <button
          type="button"
          className="button button-small toast-undo"
          onClick={() => void toasts.undo(toast.id)}
        >
          {t('toast.undo')}
        </button>
      )}
      {toast.status === 'undoing' && <span className="muted">{t('toast.undoing')}</span>}
      <button
        type="button"
        className="button button-small button-ghost"
        aria-label={t('drive.dismiss')}
        onClick={() => toasts.dismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}

export function Toasts() {
  const { t } = useI18n();
  const shown = useStore(toasts.store, (state) => state.toasts);
  return (
    // A live region (not role=status: the page's own status lines stay the only ones), always
    // there so that screen readers announce the toasts added to it.
    <section className="toasts" aria-live="polite" aria-label={t('toast.region')}>
      {shown.map((toast) => (
        <ToastLine key={toast.id} toast={toast} />
      ))}
    </section>
  );
}
