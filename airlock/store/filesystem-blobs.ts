/**
 * Blobs as files under one folder (the embedded default, `<data folder>/airlock`). A write goes to a temporary
 * file in `<root>/.tmp` and is renamed into place when complete (atomic on one filesystem), so a reader never sees
 * half a file; copies are hard links (blobs are never changed in place, only replaced by rename), so promoting or
 * releasing a large file costs no copy.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { blobNotFound, type BlobBackend } from './blob-backend.js';

const TMP = '.tmp';

export function createFilesystemBlobs(root: string): BlobBackend {
  const absoluteRoot = path.resolve(root);
  const fileOf = (key: string): string => {
    const file = path.resolve(absoluteRoot, key);
    // Keys are built from checked parts (airlock store); this is the last guard against leaving the root.
    if (!file.startsWith(absoluteRoot + path.sep) || key.startsWith(TMP)) throw new Error(`blob key outside the store: ${key}`);
    return file;
  };

  async function fsyncFile(file: string): Promise<void> {
    const handle = await open(file, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  return {
    kind: 'filesystem',
    async write(key, body) {
      const target = fileOf(key);
      const tmpDir = path.join(absoluteRoot, TMP);
      await mkdir(tmpDir, { recursive: true });
      const tmp = path.join(tmpDir, randomUUID());
      try {
        await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
        await fsyncFile(tmp);
        await mkdir(path.dirname(target), { recursive: true });
        await rename(tmp, target);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
    },
    async read(key) {
      const file = fileOf(key);
      try {
        await stat(file);
      } catch {
        throw blobNotFound(key);
      }
      return createReadStream(file) as Readable;
    },
    async copy(from, to) {
      const source = fileOf(from);
      const target = fileOf(to);
      await mkdir(path.dirname(target), { recursive: true });
      await rm(target, { force: true });
      try {
        await link(source, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw blobNotFound(from);
        // Another filesystem or no hard links: a real copy (to a temporary name, then rename).
        const tmp = path.join(absoluteRoot, TMP, randomUUID());
        await copyFile(source, tmp);
        await rename(tmp, target);
      }
    },
    async delete(key) {
      await unlink(fileOf(key)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    },
    async deletePrefix(prefix) {
      const folder = fileOf(prefix.replace(/\/$/, ''));
      const count = await countFiles(folder);
      await rm(folder, { recursive: true, force: true });
      return count;
    },
    async exists(key) {
      return stat(fileOf(key)).then(
        (s) => s.isFile(),
        () => false,
      );
    },
  };
}

async function countFiles(folder: string): Promise<number> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).length;
}
