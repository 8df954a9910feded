import type { Db } from '../db.ts';
import type { CrlRecord } from '../../model/index.ts';
import { camel } from './rows.ts';

/** Owns (writes): crls. */
export class CrlRepository {
  constructor(private readonly db: Db) {}

  async latest(): Promise<CrlRecord | undefined> {
    const row = camel<CrlRecord>(await this.db.get('SELECT * FROM crls ORDER BY number DESC LIMIT 1'));
    return row && { ...row, der: new Uint8Array(row.der) };
  }

  async nextNumber(): Promise<number> {
    const row = await this.db.get<{ n: number | null }>('SELECT MAX(number) AS n FROM crls');
    return Number(row?.n ?? 0) + 1;
  }

  /** Fails on a duplicate number: two concurrent generators cannot both publish number N. */
  async insert(crl: CrlRecord): Promise<void> {
    await this.db.run('INSERT INTO crls (number, der, this_update, next_update) VALUES (?, ?, ?, ?)', [crl.number, crl.der, crl.thisUpdate, crl.nextUpdate]);
  }
}
