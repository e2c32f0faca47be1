// The drive: who is logged in, the files, uploads by picker or by dropping anywhere on the page.
import type { User } from '@filestore/contract';
import { useState } from 'react';
import { Navigate } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useMe } from '../api/get-me.ts';
import { AppHeader } from '../components/app-header.tsx';
import { DropOverlay } from '../components/drop-overlay.tsx';
import { FileBrowser } from '../components/file-browser.tsx';
import { SearchBox } from '../components/search-box.tsx';
import { TransferPanel } from '../components/transfer-panel.tsx';
import { UploadButton } from '../components/upload-button.tsx';
import { useDebouncedValue } from '../hooks/use-debounced-value.ts';
import { useFileDrop } from '../hooks/use-file-drop.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { enqueueUploads } from '../upload/uploader.ts';

const SEARCH_DEBOUNCE_MS = 300;

function Drive({ user }: { user: User }) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const dragging = useFileDrop(enqueueUploads);

  return (
    <div className="drive">
      <AppHeader user={user} />
      <main className="drive-main">
        <div className="toolbar">
          <h1>{t('drive.title')}</h1>
          <SearchBox value={search} onChange={setSearch} />
          <UploadButton onFiles={enqueueUploads} />
        </div>
        <section className="card">
          <FileBrowser q={q} />
        </section>
      </main>
      <TransferPanel />
      {dragging && <DropOverlay />}
    </div>
  );
}

export function DrivePage() {
  const { t, errorText } = useI18n();
  const me = useMe();

  if (isApiError(me.error) && me.error.status === 401) return <Navigate to="/login" replace />;
  if (me.data) return <Drive user={me.data} />;
  return (
    <div className="page-message" role={me.isError ? 'alert' : 'status'}>
      {me.isError ? (
        <>
          <p>{t('app.loadFailed', { reason: errorText(me.error) })}</p>
          <button type="button" className="button" onClick={() => void me.refetch()}>
            {t('app.retry')}
          </button>
        </>
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
    </div>
  );
}
