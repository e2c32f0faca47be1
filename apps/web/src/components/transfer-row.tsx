// One upload in the transfer panel: its name, its state in words, a progress bar, every chunk's
// state, speed and time left, and the buttons its state allows. Memoised: the engine replaces
// only the snapshots that changed, so the other rows skip rendering.
import { memo } from 'react';
import { formatBytes, formatSpeed } from '../format/format-bytes.ts';
import { formatDuration } from '../format/format-duration.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { secondsLeft } from '../upload/speed-meter.ts';
import {
  cancelUpload,
  discardUpload,
  pauseUpload,
  reopenUpload,
  resumeUpload,
  retryUpload,
} from '../upload/uploader.ts';
import {
  actionsFor,
  type Upload,
  type UploadAction,
  type UploadState,
} from '../upload/upload-store.ts';
import { ChunkStrip } from './chunk-strip.tsx';

/** Share of the current step done, or undefined for steps with no measurable progress. */
function fractionOf(state: UploadState, size: number): number | undefined {
  switch (state.status) {
    case 'uploading':
    case 'paused':
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

const ACTIONS: Record<UploadAction, { label: MessageKey; run: (id: string) => void }> = {
  pause: { label: 'transfers.pause', run: pauseUpload },
  resume: { label: 'transfers.resume', run: resumeUpload },
  cancel: { label: 'transfers.cancel', run: cancelUpload },
  retry: { label: 'transfers.retry', run: retryUpload },
  reopen: { label: 'transfers.pickAgain', run: (id) => void reopenUpload(id) },
  discard: { label: 'transfers.discard', run: discardUpload },
};

export const TransferRow = memo(function TransferRow({ upload }: { upload: Upload }) {
  const { t, errorText, language } = useI18n();
  const { state } = upload;
  const fraction = fractionOf(state, upload.size);
  const actions = actionsFor(state);

  let label: string;
  if (state.status === 'failed') label = t('status.failed', { reason: errorText(state.reason) });
  else if (state.status === 'done' && state.instant) label = t('status.doneInstant');
  else if (state.status === 'interrupted' && state.wrongFile) {
    label = t('status.wrongFile', { name: upload.name });
  } else label = t(`status.${state.status}`);
  // With a handle kept, one click (and the browser's permission prompt) resumes.
  const actionLabel = (action: UploadAction) =>
    action === 'reopen' && state.status === 'interrupted' && state.canReopen
      ? t('transfers.resume')
      : t(ACTIONS[action].label);
  const showPercent =
    fraction !== undefined && (state.status === 'uploading' || state.status === 'paused');

  let pace: string | null = null;
  if (state.status === 'uploading' && state.bytesPerSecond > 0) {
    const left = secondsLeft(upload.size - state.bytesDone, state.bytesPerSecond);
    pace = formatSpeed(state.bytesPerSecond);
    // No time left until the speed is measured well enough to mean something.
    if (left !== undefined && state.etaReady) {
      pace += ` · ${t('transfers.timeLeft', { time: formatDuration(left, language) })}`;
    }
  }

  return (
    <li
      className="transfer-row"
      data-testid="transfer-row"
      data-status={state.status}
      data-upload-id={upload.uploadId}
    >
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
      {upload.chunks && state.status !== 'done' && <ChunkStrip chunks={upload.chunks} />}
      <div className="transfer-line">
        <span
          className={`transfer-status${state.status === 'failed' ? ' form-error' : ''}`}
          role={state.status === 'failed' ? 'alert' : undefined}
        >
          {label}
          {showPercent ? ` ${Math.floor(fraction * 100)}%` : ''}
        </span>
        {pace && <span className="transfer-speed muted">{pace}</span>}
      </div>
      {actions.length > 0 && (
        <div className="transfer-actions">
          {actions.map((action) => (
            <button
              key={action}
              type="button"
              className={`button button-small${action === 'cancel' ? ' button-ghost' : ''}`}
              onClick={() => ACTIONS[action].run(upload.id)}
            >
              {actionLabel(action)}
            </button>
          ))}
        </div>
      )}
    </li>
  );
});
