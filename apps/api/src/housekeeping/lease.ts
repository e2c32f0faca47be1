// The housekeeping job's lease (migration 010): one row whose `locked_until` no process may start
// the job before. A process takes it with one conditional UPDATE, renews it while it runs, and on
// finishing pushes it to the next run's due time, so the deployment runs the job once per interval
// however many processes try; a holder that died is replaced once its lease lapses.
import { DataTypes, Op, type Model, type ModelStatic, type Sequelize } from 'sequelize';
import { newId } from '../ids.ts';

interface LeaseAttributes {
  name: string;
  holder: string | null;
  lockedUntil: Date;
}
type LeaseRow = Model<LeaseAttributes> & LeaseAttributes;

const defineLease = (sequelize: Sequelize): ModelStatic<LeaseRow> =>
  sequelize.define<LeaseRow>(
    'HousekeepingLease',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      holder: { type: DataTypes.STRING(32), allowNull: true },
      lockedUntil: { type: DataTypes.DATE(3), allowNull: false },
    },
    { tableName: 'housekeeping_leases', timestamps: false },
  );

/** A claim on the job: renew it while working, release it when done. */
export interface Claim {
  renew: () => Promise<boolean>;
  /** Frees the job from `nextRunAt` on. */
  release: (nextRunAt: Date) => Promise<void>;
}

export class JobLease {
  private readonly Lease: ModelStatic<LeaseRow>;

  constructor(
    sequelize: Sequelize,
    private readonly name: string,
    private readonly leaseMs: number,
  ) {
    this.Lease = defineLease(sequelize);
  }

  /** The job for this process, or undefined when it is not due or another process holds it. */
  async claim(): Promise<Claim | undefined> {
    const holder = newId();
    const { name, Lease } = this;
    const [taken] = await Lease.update(
      { holder, lockedUntil: this.leaseEnd() },
      { where: { name, lockedUntil: { [Op.lte]: new Date() } } },
    );
    if (taken === 0) return undefined;
    const mine = { name, holder };
    return {
      renew: async () => {
        const [renewed] = await Lease.update({ lockedUntil: this.leaseEnd() }, { where: mine });
        return renewed === 1;
      },
      release: async (nextRunAt) => {
        await Lease.update({ holder: null, lockedUntil: nextRunAt }, { where: mine });
      },
    };
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + this.leaseMs);
  }
}
