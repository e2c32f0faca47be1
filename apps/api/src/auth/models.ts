import { DataTypes, type Model, type ModelStatic, type Sequelize } from 'sequelize';

/** 'admin' for the first account (the admin UI comes later); 'user' for everyone else. */
export type Role = 'admin' | 'user';

export interface UserAttributes {
  id: string;
  username: string;
  usernameKey: string;
  passwordHash: string;
  passwordSalt: string;
  quotaBytes: number | null;
  usedBytes: number;
  role: Role;
  /** true on the first account only, NULL on the others (a unique index: one claim wins). */
  firstAccount: true | null;
}
export type UserRow = Model<
  UserAttributes,
  Omit<UserAttributes, 'usedBytes' | 'role' | 'firstAccount'> &
    Partial<Pick<UserAttributes, 'role' | 'firstAccount'>>
> &
  UserAttributes;

export interface SessionAttributes {
  tokenHash: string;
  userId: string;
  expiresAt: Date;
  lastSeenAt: Date;
}
export type SessionRow = Model<SessionAttributes> & SessionAttributes;

export interface ThrottleAttributes {
  key: string;
  failures: number;
  resetAt: Date;
}
export type ThrottleRow = Model<ThrottleAttributes> & ThrottleAttributes;

export interface AccountModels {
  User: ModelStatic<UserRow>;
  Session: ModelStatic<SessionRow>;
  Throttle: ModelStatic<ThrottleRow>;
}

export function defineAccountModels(sequelize: Sequelize): AccountModels {
  const User = sequelize.define<UserRow>(
    'User',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      username: { type: DataTypes.STRING(64), allowNull: false },
      usernameKey: { type: DataTypes.STRING(128), allowNull: false },
      passwordHash: { type: DataTypes.STRING(128), allowNull: false },
      passwordSalt: { type: DataTypes.STRING(64), allowNull: false },
      quotaBytes: { type: DataTypes.BIGINT, allowNull: true },
      usedBytes: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
      role: { type: DataTypes.STRING(16), allowNull: false, defaultValue: 'user' },
      firstAccount: { type: DataTypes.BOOLEAN, allowNull: true },
    },
    { tableName: 'users' },
  );
  const Session = sequelize.define<SessionRow>(
    'Session',
    {
      tokenHash: { type: DataTypes.CHAR(64), primaryKey: true },
      userId: { type: DataTypes.STRING(32), allowNull: false },
      expiresAt: { type: DataTypes.DATE(3), allowNull: false },
      lastSeenAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'sessions' },
  );
  const Throttle = sequelize.define<ThrottleRow>(
    'Throttle',
    {
      key: { type: DataTypes.STRING(200), primaryKey: true },
      failures: { type: DataTypes.INTEGER, allowNull: false },
      resetAt: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'throttles', timestamps: false },
  );
  return { User, Session, Throttle };
}
