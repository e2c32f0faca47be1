// One upload in the transfer panel: its name, its state in words, a progress bar and a speed.
import { formatBytes, formatSpeed } from '../format/format-bytes.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import type { Upload, UploadState } from '../upload/upload-store.ts';

/** Share of the current step done, or undefined for steps with no measurable progress. */
function fractionOf(state: UploadState, size: number): number | undefined {
  switch (state.status) {
    case 'hashing':
    case 'uploading':
      return size === 0 ? 1 : state.bytesDone / size;
    case 'done':
    case 'failed':
      return 1;
    case 'queued':
      return 0;
    default:
      return undefined;
  }
}

export function TransferRow({ upload }: { upload: Upload }) {
  const { t, errorText } = useI18n();
  const { state } = upload;
  const fraction = fractionOf(state, upload.size);

  const label =
    state.status === 'failed'
      ? t('status.failed', { reason: errorText(state.reason) })
      : state.status === 'done' && state.instant
        ? t('status.doneInstant')
        : t(`status.${state.status}`);
  const speed =
    (state.status === 'hashing' || state.status === 'uploading') && state.bytesPerSecond > 0
      ? formatSpeed(state.bytesPerSecond)
      : null;

  return (
    <li className="transfer-row" data-testid="transfer-row" data-status={state.status}>
      <div className="transfer-line">
        <span className="transfer-name" title={upload.name}>
          {upload.name}
        </span>
        <span className="transfer-size muted">{formatBytes(upload.size)}</span>
      </div>
      <progress
        className={`transfer-progress is-${state.status}`}
        max={1}
        value={fraction}
        aria-label={upload.name}
      />
      <div className="transfer-line">
        <span className={`transfer-status${state.status === 'failed' ? ' form-error' : ''}`}>
          {label}
          {fraction !== undefined && (state.status === 'hashing' || state.status === 'uploading')
            ? ` ${Math.floor(fraction * 100)}%`
            : ''}
        </span>
        {speed && <span className="transfer-speed muted">{speed}</span>}
      </div>
    </li>
  );
}
