// POST /api/files/archive: the selected files, and the selected folders with everything below them,
// as one zip streamed while it is built. One file is read at a time; nothing is buffered whole.
import type { Readable } from 'node:stream';
import { create as contentDisposition } from 'content-disposition';
import type { Response } from 'express';
import type { ArchiveBody } from '@filestore/contract';
import type { FolderRow } from '../folders/models.ts';
import type { FolderService } from '../folders/service.ts';
import { isTextLike, streamTo } from './download.ts';
import type { UserFileRow } from './models.ts';
import { firstFreeSuffix, fitName, type NameKind } from './names.ts';
import type { FileService } from './service.ts';

interface Entry {
  path: string;
  date: Date;
  file?: UserFileRow;
}

/** Paths in the zip, unique: two selected "a.txt" from different folders become "a (1).txt". */
class ZipPaths {
  private readonly taken = new Set<string>();
  claim(parent: string, name: string, kind: NameKind): string {
    const free = (candidate: string) => !this.taken.has(`${parent}${candidate}`);
    const unique = free(name) ? name : firstFreeSuffix(name, new Set(this.takenIn(parent)), kind);
    const path = `${parent}${unique}`;
    this.taken.add(path);
    return path;
  }
  private *takenIn(parent: string) {
    for (const path of this.taken) if (path.startsWith(parent)) yield path.slice(parent.length);
  }
}

/** Every entry of the zip, resolved (and owner-checked: 404) before a byte is sent. */
async function entriesOf(
  files: FileService,
  folders: FolderService,
  userId: string,
  selection: ArchiveBody,
): Promise<Entry[]> {
  const paths = new ZipPaths();
  const entries: Entry[] = [];
  for (const id of selection.fileIds) {
    const file = await files.get(userId, id);
    entries.push({ path: paths.claim('', file.name, 'file'), date: file.updatedAt, file });
  }
  const tops = await Promise.all((selection.folderIds ?? []).map((id) => folders.get(userId, id)));
  for (const top of tops) {
    const path = `${paths.claim('', top.name, 'folder')}/`;
    entries.push(...(await treeEntries(files, folders, paths, top, path)));
  }
  return entries;
}

/**
 * A selected folder and everything below it, breadth first: one query per level for its folders
 * and one for their files. The walk visits each folder once, so it ends even on a loop that
 * corrupt data might hold.
 */
async function treeEntries(
  files: FileService,
  folders: FolderService,
  paths: ZipPaths,
  top: FolderRow,
  topPath: string,
): Promise<Entry[]> {
  const entries: Entry[] = [{ path: topPath, date: top.updatedAt }];
  const pathOf = new Map([[top.id, topPath]]);
  const addFiles = async (folderIds: string[]) => {
    for (const file of await files.inFolders(top.userId, folderIds)) {
      const path = paths.claim(pathOf.get(file.folderId)!, file.name, 'file');
      entries.push({ path, date: file.updatedAt, file });
    }
  };
  await addFiles([top.id]);
  for await (const level of folders.levelsBelow(top.userId, [top.id])) {
    for (const child of level) {
      const path = `${paths.claim(pathOf.get(child.parentId)!, child.name, 'folder')}/`;
      pathOf.set(child.id, path);
      entries.push({ path, date: child.updatedAt });
    }
    await addFiles(level.map((child) => child.id));
  }
  return entries;
}

export async function sendArchive(
  deps: { files: FileService; folders: FolderService },
  res: Response,
  userId: string,
  selection: ArchiveBody,
): Promise<void> {
  const entries = await entriesOf(deps.files, deps.folders, userId, selection);
  // Loaded on first use: archiver (with its zip and glob dependencies) costs ~15 MiB of memory,
  // which a process that never builds a zip should not carry.
  const { default: archiver } = await import('archiver');
  const single = selection.fileIds.length + (selection.folderIds?.length ?? 0) === 1;
  const zipName =
    selection.name ?? fitName(single ? entries[0]!.path.replace(/\/$/, '') : 'download', '.zip');
  res.status(200).set({
    'Content-Type': 'application/zip',
    'Content-Disposition': contentDisposition(zipName, { type: 'attachment' }),
    'Cache-Control': 'private, no-cache',
  });

  // Most of a drive (photos, video, archives, office files) is compressed already: those entries
  // are stored as they are (deflating 512 MiB of them took 5× as long); text is deflated.
  const zip = archiver('zip', { zlib: { level: 1 } });
  let reading: Readable | undefined;
  // The client went away or a read failed: the pipeline destroys the zip; stop feeding it.
  const closed = new Promise<void>((resolve) => zip.once('close', resolve)).then(() =>
    reading?.destroy(),
  );
  const sent = streamTo(res, zip);
  try {
    for (const entry of entries) {
      if (zip.destroyed) break;
      reading = entry.file ? await deps.files.downloadable(entry.file).open() : undefined;
      const added = new Promise((resolve) => zip.once('entry', resolve));
      zip.append(reading ?? '', {
        name: entry.path,
        date: entry.date,
        store: !isTextLike(entry.path),
      });
      await Promise.race([added, closed]);
    }
    if (!zip.destroyed) await zip.finalize();
  } catch (err) {
    // The zip has begun: cutting the connection is the only honest signal left.
    res.err = err as Error; // on the request's log line
    zip.destroy(err as Error);
  }
  await sent;
}
