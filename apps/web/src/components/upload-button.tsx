// A visible button that opens the hidden multi-file picker.
import { useRef } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';

export function UploadButton({ onFiles }: { onFiles: (files: File[]) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className="button button-primary"
        onClick={() => input.current?.click()}
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
