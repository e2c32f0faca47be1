// Every chunk of an upload as a small square: grey waiting, filling up while sending, blue
// received, amber retrying. Thousands of chunks fold into at most MAX_CELLS squares, each showing
// its run's combined state, so the strip stays small and cheap to draw.
import type { CSSProperties } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';
import type { ChunkView } from '../upload/upload-store.ts';
import { bucketChunks, type ChunkCell } from './chunk-buckets.ts';

const MAX_CELLS = 120;

const percent = (fraction: number) => Math.floor(fraction * 100);

export function ChunkStrip({ chunks }: { chunks: ChunkView }) {
  const { t } = useI18n();
  const cells = bucketChunks(chunks, MAX_CELLS);
  const received = chunks.states.filter((s) => s === 'done').length;

  const describe = (cell: ChunkCell) => {
    const which =
      cell.first === cell.last
        ? t('chunk.one', { index: cell.first + 1 })
        : t('chunk.range', { first: cell.first + 1, last: cell.last + 1 });
    const state =
      cell.state === 'sending'
        ? t('chunk.sending', { percent: percent(cell.sending ?? 0) })
        : t(`chunk.${cell.state}`);
    return `${which}: ${state}`;
  };

  return (
    <div
      className="chunk-strip"
      role="img"
      aria-label={t('transfers.chunks', { done: received, total: chunks.states.length })}
    >
      {cells.map((cell) => (
        <span
          key={cell.first}
          className={`chunk is-${cell.state}`}
          data-testid="chunk"
          data-state={cell.state}
          data-progress={cell.sending === undefined ? undefined : cell.sending.toFixed(2)}
          title={describe(cell)}
          style={{ '--fill': `${percent(cell.fill)}%` } as CSSProperties}
        />
      ))}
    </div>
  );
}
