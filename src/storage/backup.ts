import { existsSync } from 'node:fs';
import path from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';

/** The SQLite file of a data directory (src/storage/index.ts opens the same one). */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'passerelle.sqlite');
}

/**
 * `passerelle backup <file>`: an online copy of the SQLite database with SQLite's backup API, page by
 * page, while the server keeps running (a plain `cp` of a live WAL database can be torn). Refuses to
 * overwrite an existing file. PostgreSQL is backed up with pg_dump instead (docs/operations.md).
 */
export async function backupSqlite(dataDir: string, target: string): Promise<{ source: string; target: string; pages: number }> {
  const source = sqliteFile(dataDir);
  if (!existsSync(source)) throw new Error(`no SQLite database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} already exists: choose a new file name`);
  const db = new DatabaseSync(source, { readOnly: true });
  try {
    const pages = await backup(db, target, { rate: 256 });
    return { source, target: path.resolve(target), pages };
  } finally {
    db.close();
  }
}
