import type { Db } from '../db.ts';
import type { ApiToken } from '../../model/index.ts';
import { camel, camelAll } from './rows.ts';

/** Owns (writes): api_tokens. */
export class ApiTokenRepository {
  constructor(private readonly db: Db) {}

  async insert(t: Pick<ApiToken, 'id' | 'name' | 'secretHash' | 'userId' | 'createdBy' | 'createdAt'>): Promise<void> {
    await this.db.run('INSERT INTO api_tokens (id, name, secret_hash, user_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [t.id, t.name, t.secretHash, t.userId, t.createdBy, t.createdAt]);
  }

  async findById(id: string): Promise<ApiToken | undefined> {
    return camel<ApiToken>(await this.db.get('SELECT * FROM api_tokens WHERE id = ?', [id]));
  }

  async list(): Promise<ApiToken[]> {
    return camelAll(await this.db.all('SELECT * FROM api_tokens ORDER BY created_at DESC'));
  }

  async revoke(id: string, now: number): Promise<boolean> {
    return (await this.db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])).changes === 1;
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', [now, id]);
  }
}
