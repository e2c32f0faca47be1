// Opens a file in the browser: pictures, video, audio and PDF from the inline content URL (the
// browser streams and seeks with Range), text as the first part of the file in a <pre>.
import type { FileItem } from '@filestore/contract';
import { useQuery } from '@tanstack/react-query';
import { fetchTextStart, fileContentUrl } from '../api/file-content.ts';
import { previewKind } from '../drive/preview-kind.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { Dialog } from './dialog.tsx';

const TEXT_PREVIEW_BYTES = 256 * 1024;

function TextPreview({ file }: { file: FileItem }) {
  const { t, errorText } = useI18n();
  const text = useQuery({
    queryKey: ['file-text', file.id, file.sha1],
    queryFn: ({ signal }) => fetchTextStart(file.id, TEXT_PREVIEW_BYTES, signal),
  });
  if (text.isError) return <p role="alert">{errorText(text.error)}</p>;
  if (text.isPending) return <p className="muted">{t('app.loading')}</p>;
  return (
    <>
      <pre className="viewer-text" data-testid="viewer-text">
        {text.data}
      </pre>
      {file.size > TEXT_PREVIEW_BYTES && (
        <p className="muted">{t('viewer.truncated', { shown: formatBytes(TEXT_PREVIEW_BYTES) })}</p>
      )}
    </>
  );
}

function Preview({ file }: { file: FileItem }) {
  const src = fileContentUrl(file.id, { inline: true });
  switch (previewKind(file.name)) {
    case 'image':
      return <img className="viewer-media" src={src} alt={file.name} />;
    case 'video':
      return <video className="viewer-media" src={src} controls autoPlay />;
    case 'audio':
      return <audio src={src} controls autoPlay />;
    case 'pdf':
      return <iframe className="viewer-frame" src={src} title={file.name} />;
    case 'text':
      return <TextPreview file={file} />;
    default:
      return null;
  }
}

export function FileViewer({ file, onClose }: { file: FileItem; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={file.name} onClose={onClose} wide>
      <div className="viewer-body">
        <Preview file={file} />
      </div>
      <div className="dialog-actions">
        <a
          className="button"
          href={fileContentUrl(file.id, { inline: true })}
          target="_blank"
          rel="noreferrer"
        >
          {t('viewer.newTab')}
        </a>
        <a className="button" href={fileContentUrl(file.id)} download={file.name}>
          {t('files.download')}
        </a>
        <button type="button" className="button button-primary" autoFocus onClick={onClose}>
          {t('viewer.close')}
        </button>
      </div>
    </Dialog>
  );
}
