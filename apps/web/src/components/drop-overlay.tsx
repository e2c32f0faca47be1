import { useI18n } from '../i18n/use-i18n.ts';

/** Covers the page while files are dragged over it; the drop itself is handled on window. */
export function DropOverlay() {
  const { t } = useI18n();
  return (
    <div className="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">{t('drive.dropOverlay')}</div>
    </div>
  );
}
