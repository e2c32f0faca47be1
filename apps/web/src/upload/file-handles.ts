// Where the browser gives one (Chromium: the file picker and drag-and-drop), a FileSystemFileHandle
// for each file. Kept with the open upload in IndexedDB, it lets a reload resume the upload after
// one permission click instead of picking the file again. Everything here degrades to "no handle".

/** A file to upload, with its handle when the browser gave one. */
export interface PickedFile {
  file: File;
  handle?: FileSystemFileHandle;
}

// Parts of the File System Access API that TypeScript's DOM library does not declare yet.
interface HandlePermissions {
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>;
}
interface ItemWithHandle {
  getAsFileSystemHandle?(): Promise<FileSystemHandle | null>;
}
type OpenFilePicker = (options: { multiple: boolean }) => Promise<FileSystemFileHandle[]>;

const openFilePicker = (): OpenFilePicker | undefined =>
  (globalThis as { showOpenFilePicker?: OpenFilePicker }).showOpenFilePicker;

export const canPickWithHandles = () => openFilePicker() !== undefined;

/** The browser's file picker with handles; [] when the user closes it. */
export async function pickWithHandles(): Promise<PickedFile[]> {
  try {
    const handles = await openFilePicker()!({ multiple: true });
    return await Promise.all(
      handles.map(async (handle) => ({ file: await handle.getFile(), handle })),
    );
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return [];
    throw err;
  }
}

/**
 * The files of a drop, with their handles. Must be called during the drop event: the browser
 * empties the DataTransfer once the event is over, so every item is asked at once.
 */
export function droppedFiles(transfer: DataTransfer): Promise<PickedFile[]> {
  const items = Array.from(transfer.items).filter((item) => item.kind === 'file');
  const picked = items.map((item) => ({
    file: item.getAsFile(),
    handle: (item as ItemWithHandle).getAsFileSystemHandle?.().catch(() => null),
  }));
  return Promise.all(
    picked
      .filter((p): p is { file: File; handle: Promise<FileSystemHandle | null> | undefined } =>
        Boolean(p.file),
      )
      .map(async ({ file, handle }) => {
        const found = await handle;
        return found?.kind === 'file' ? { file, handle: found as FileSystemFileHandle } : { file };
      }),
  );
}

/** The file behind a remembered handle, once the user allows reading it; undefined if refused. */
export async function fileFromHandle(handle: FileSystemFileHandle): Promise<File | undefined> {
  try {
    const permission = await (handle as HandlePermissions).requestPermission?.({ mode: 'read' });
    if (permission !== undefined && permission !== 'granted') return undefined;
    return await handle.getFile();
  } catch {
    return undefined; // moved or deleted on disk
  }
}

/** One file from a throwaway file input (the fallback: pick the file again). */
export function pickOneFile(): Promise<File | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.addEventListener('change', () => resolve(input.files?.[0]), { once: true });
    input.addEventListener('cancel', () => resolve(undefined), { once: true });
    input.click();
  });
}
