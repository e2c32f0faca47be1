// Asks before something that cannot be undone; stays open with the reason if the server refuses.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';
import { Dialog } from './dialog.tsx';
import { ErrorLine } from './error-line.tsx';

interface ConfirmDialogProps {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.body}</p>
      <ErrorLine error={props.error} />
      <div className="dialog-actions">
        <button type="button" className="button" autoFocus onClick={props.onClose}>
          {t('files.cancel')}
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={props.pending}
          onClick={props.onConfirm}
        >
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
