import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { BadRequestError } from '../../shared/errors.ts';
import type { Output } from '../output.ts';

/** `backup <file>`: online SQLite copy; with PostgreSQL it says to use pg_dump. Needs no passphrase. */
export function registerBackupCommand(program: Command, output: () => Output): void {
  program
    .command('backup <file>')
    .description('copy the SQLite database online (server running) into a new file; PostgreSQL: use pg_dump')
    .action(async (file: string) => {
      const config = loadConfig({ requireSecrets: [] });
      if (config.database.url) throw new BadRequestError('usage', 'the database is PostgreSQL: back it up with pg_dump (docs/operations.md)');
      const { backupSqlite } = await import('../../storage/backup.ts');
      const done = await backupSqlite(config.dataDir, file);
      output().result(done, [`${done.source} copied to ${done.target} (${done.pages} pages)`]);
    });
}
