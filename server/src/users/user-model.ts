import { Model } from 'objection';

/** The `users` table. Queries bind a Knex instance explicitly: `UserModel.query(db)`. */
export class UserModel extends Model {
  static override tableName = 'users';

  id!: string;
  email!: string;
  name!: string;
  role!: 'admin' | 'manager' | 'user' | 'readonly';
  password_hash!: string;
  active!: boolean;
  time_zone!: string;
  token_version!: number;
  created_at!: Date;
  updated_at!: Date;
}
