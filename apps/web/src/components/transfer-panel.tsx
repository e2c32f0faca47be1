// The uploads of this page, newest last, with a summary, a way to clear the finished ones, and a
// toggle to fold the list away when it covers the files.
import { useState } from 'react';
import { useStore } from 'zustand';
import { useI18n } from '../i18n/use-i18n.ts';
import { clearFinished } from '../upload/uploader.ts';
import { isFinished, uploadStore } from '../upload/upload-store.ts';
import { TransferRow } from './transfer-row.tsx';

export function TransferPanel() {
  const { t } = useI18n();
  const [open, setOpen] = useState(true);
  const order = useStore(uploadStore, (s) => s.order);
  const uploads = useStore(uploadStore, (s) => s.uploads);
  if (order.length === 0) return null;

  const finished = order.filter((id) => isFinished(uploads[id]!.state)).length;
  return (
    <section className="transfer-panel" aria-labelledby="transfers-title">
      <header className="transfer-header">
        <h2 id="transfers-title">{t('transfers.title')}</h2>
        <span className="muted">
          {t('transfers.summary', { done: finished, total: order.length })}
        </span>
        <button
          type="button"
          className="button button-small"
          disabled={finished === 0}
          onClick={clearFinished}
        >
          {t('transfers.clear')}
        </button>
        <button
          type="button"
          className="button button-small button-ghost"
          aria-expanded={open}
          aria-controls="transfer-list"
          onClick={() => setOpen(!open)}
        >
          {open ? t('transfers.hide') : t('transfers.show')}
        </button>
      </header>
      <ul className="transfer-list" id="transfer-list" hidden={!open}>
        {order.map((id) => (
          <TransferRow key={id} upload={uploads[id]!} />
        ))}
      </ul>
    </section>
  );
}
