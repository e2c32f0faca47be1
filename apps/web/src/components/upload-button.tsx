// A visible button that opens the browser's file picker: the one that gives file handles where
// there is one (so a reload can resume without picking again), else the hidden multi-file input.
import { useRef } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';
import { canPickWithHandles, type PickedFile, pickWithHandles } from '../upload/file-handles.ts';

export function UploadButton({ onFiles }: { onFiles: (files: (File | PickedFile)[]) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => {
          if (!canPickWithHandles()) return input.current?.click();
          pickWithHandles().then(
            (picked) => picked.length > 0 && onFiles(picked),
            () => input.current?.click(), // refused (no permission here): the plain picker
          );
        }}
      >
        {t('drive.upload')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={t('drive.chooseFiles')}
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          // Cleared so picking the same file again still fires a change.
          e.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
