import type { Db } from '../db.ts';
import type { Establishment } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';

/** Owns (writes): establishments. */
export class EstablishmentRepository {
  constructor(private readonly db: Db) {}

  async insert(e: Establishment): Promise<void> {
    await this.db.run('INSERT INTO establishments (id, name, finess, referent_email, created_at) VALUES (?, ?, ?, ?, ?)', [
      e.id,
      e.name,
      e.finess,
      e.referentEmail,
      e.createdAt,
    ]);
  }

  async findById(id: string): Promise<Establishment | undefined> {
    return camel<Establishment>(await this.db.get('SELECT * FROM establishments WHERE id = ?', [id]));
  }

  async findByFiness(finess: string): Promise<Establishment | undefined> {
    return camel<Establishment>(await this.db.get('SELECT * FROM establishments WHERE finess = ?', [finess]));
  }

  async list(): Promise<Establishment[]> {
    return camelAll<Establishment>(await this.db.all('SELECT * FROM establishments ORDER BY name'));
  }

  async update(e: Pick<Establishment, 'id' | 'name' | 'finess' | 'referentEmail'>): Promise<boolean> {
    return (await this.db.run('UPDATE establishments SET name = ?, finess = ?, referent_email = ? WHERE id = ?', [e.name, e.finess, e.referentEmail, e.id])).changes === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM establishments WHERE id = ?', [id])).changes === 1;
  }
}
