// The uploads of this page, newest first, with a summary ("3 of 5 done, 1 failed"), a way to clear
// the finished ones, and a toggle that folds the list into a small bar. The page keeps room below
// its content for the panel (--transfer-panel-height), so the panel never covers a row's buttons.
import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useI18n } from '../i18n/use-i18n.ts';
import { clearFinished } from '../upload/uploader.ts';
import { isFinished, uploadStore } from '../upload/upload-store.ts';
import { TransferRow } from './transfer-row.tsx';

/** Sets --transfer-panel-height on the page to the panel's height (0 when it is gone). */
function useReservedHeight(panel: React.RefObject<HTMLElement | null>, shown: boolean) {
  useEffect(() => {
    const root = document.documentElement;
    const element = panel.current;
    if (!shown || !element) return;
    const observer = new ResizeObserver(() =>
      root.style.setProperty('--transfer-panel-height', `${element.offsetHeight}px`),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--transfer-panel-height');
    };
  }, [panel, shown]);
}

export function TransferPanel() {
  const { t } = useI18n();
  const [open, setOpen] = useState(true);
  const panel = useRef<HTMLElement>(null);
  const order = useStore(uploadStore, (s) => s.order);
  const uploads = useStore(uploadStore, (s) => s.uploads);
  useReservedHeight(panel, order.length > 0);
  if (order.length === 0) return null;

  const states = order.map((id) => uploads[id]!.state);
  const done = states.filter((s) => s.status === 'done').length;
  const failed = states.filter((s) => s.status === 'failed').length;
  const finished = states.filter(isFinished).length;
  const summary = t('transfers.summary', { done, total: order.length });
  return (
    <section
      ref={panel}
      className={`transfer-panel${open ? '' : ' is-folded'}`}
      aria-labelledby="transfers-title"
    >
      <header className="transfer-header">
        <h2 id="transfers-title">{t('transfers.title')}</h2>
        <span className="muted" data-testid="transfer-summary">
          {failed > 0 ? `${summary}${t('transfers.failedCount', { failed })}` : summary}
        </span>
        {open && (
          <button
            type="button"
            className="button button-small"
            disabled={finished === 0}
            onClick={clearFinished}
          >
            {t('transfers.clear')}
          </button>
        )}
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
