// `passerelle backup <file>` (issue 13 item 8): an online SQLite copy that opens as a Passerelle database
// with the same rows, taken while the source is open; never over an existing file.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStorage } from '../src/storage/index.ts';
import { backupSqlite } from '../src/storage/backup.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite online backup', () => {
  it('copies a database in use; the copy opens with the same rows', async () => {
    const source = await openStorage({ databaseUrl: null, dataDir: dir });
    try {
      await source.audit.append({ action: 'backup.test', outcome: 'success', actor: 'test' }, Date.now());
      mkdirSync(path.join(dir, 'restored'));
      const copy = path.join(dir, 'restored', 'passerelle.sqlite');
      const done = await backupSqlite(dir, copy);
      expect(done.pages).toBeGreaterThan(0);
      await expect(backupSqlite(dir, copy)).rejects.toThrow(/already exists/);
    } finally {
      await source.close();
    }
    const restored = await openStorage({ databaseUrl: null, dataDir: path.join(dir, 'restored') });
    try {
      const events = await restored.audit.list({ action: 'backup.test', limit: 10 });
      expect(events.map((e) => e.actor)).toEqual(['test']);
    } finally {
      await restored.close();
    }
  });
});
