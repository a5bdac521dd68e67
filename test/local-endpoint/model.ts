/*
 * The state and rules of a local Redshift Serverless: namespaces, snapshots and tags, behaving
 * like the service where the snapshot handler can tell. Time is real but short: a snapshot
 * stays CREATING for `creationMs`, with progress fields that grow, then turns AVAILABLE (or the
 * status a test asked for).
 */
import type { ParameterCreates } from './parameters';
import { randomUUID } from 'crypto';
import { Happening, sampleEvent, ServiceEvent, ServiceEventShape } from '../../verify/service-event-samples';
import { nextCronInvocations } from './cron';

export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
  }
}

export type SnapshotStatus = 'CREATING' | 'AVAILABLE' | 'FAILED' | 'CANCELLED' | 'DELETED' | 'COPYING';

interface NamespaceRecord {
  readonly name: string;
  /** Changed by a restore when restoreChangesNamespaceId is set. */
  arn: string;
  id: string;
  hasWorkgroup: boolean;
  busyUntil: number;
  /** Busy for this long from the first call that looks at the namespace (holdNamespaceBusy's fromFirstLook). */
  busyFromFirstLookMs?: number;
  /** Whose data the namespace holds: `namespace:<name>` for its own, or what a restore brought. */
  data: string;
  /** A restore runs (the namespace and its workgroup are MODIFYING) until then. */
  restoringUntil: number;
  /** When an accepted restore shows as MODIFYING (restoreReportedAfterMs after it was accepted). */
  restoreReportedAt?: number;
  /** Every restore the namespace accepted, in order. */
  readonly restores: RestoreEntry[];
  /** When a restore that clears the namespace's tags as it finishes clears them. */
  clearTagsAt?: number;
  /** The secret a restore with manageAdminPassword made for the admin password. */
  adminPasswordSecretArn?: string;
  /** When CreateNamespace made it (ms); undefined for the namespaces a test sets up. */
  createdAt?: number;
}

/** One restore the endpoint accepted: from which source, bringing whose data. */
export interface RestoreEntry {
  readonly from: string;
  readonly data: string;
  readonly at: number;
}

interface WorkgroupRecord {
  readonly name: string;
  readonly arn: string;
  readonly namespace: NamespaceRecord;
}

/** A snapshot of another account, restorable here only when shared with this account. */
interface ForeignSnapshotRecord {
  readonly name: string;
  readonly arn: string;
  readonly ownerAccount: string;
  readonly sharedWith: readonly string[];
  readonly data: string;
}

interface RecoveryPointRecord {
  readonly id: string;
  readonly namespace: NamespaceRecord;
  readonly createdAt: number;
  readonly data: string;
}

interface SnapshotRecord {
  readonly name: string;
  readonly arn: string;
  readonly namespace: NamespaceRecord;
  readonly createdAt: number;
  readonly creationMs: number;
  /** What the snapshot turns into once creation time is over. */
  readonly endStatus: SnapshotStatus;
  retentionPeriod: number;
  deletedAt?: number;
  /** Whose data the namespace held when the snapshot was taken. */
  readonly data: string;
}

/** A scheduled action as the model keeps it; times in milliseconds since the epoch. */
interface ScheduledActionRecord {
  readonly name: string;
  readonly uuid: string;
  readonly namespace: NamespaceRecord;
  roleArn: string;
  schedule: { at?: number; cron?: string };
  enabled: boolean;
  startTime?: number;
  endTime?: number;
  description?: string;
  target: { namespaceName: string; snapshotNamePrefix: string; retentionPeriod?: number; tags: Tag[] };
  /** Whether an `at` schedule has taken its one snapshot. */
  fired: boolean;
}

export interface Tag {
  readonly key: string;
  readonly value: string;
}

const NAME = /^[a-z0-9-]{3,64}$/;
const TOTAL_MB = 4096;

export interface ModelOptions {
  readonly region?: string;
  readonly account?: string;
  /** How long a new snapshot stays CREATING. */
  readonly creationMs?: number;
  /** How long a deleted snapshot stays visible as DELETED before it is gone. */
  readonly deletionMs?: number;
  readonly now?: () => number;
  /**
   * The spellings of a cron schedule the endpoint takes: the API reference's `(0 3 * * ? *)`, the
   * user guide's `cron(0 3 * * ? *)`, or both. Which one AWS takes is not verified, so the
   * lifecycle tests run against each; the default is the reference's alone.
   */
  readonly cronForms?: readonly CronSpelling[];
  /** How long a restore keeps the namespace and its workgroup MODIFYING. */
  readonly restoreMs?: number;
  /**
   * What a restore does to the target namespace's own tags, which AWS does not publish: keeps
   * them (the default), clears them when it is accepted, or clears them when the namespace is
   * AVAILABLE again. The restore tests run under each.
   */
  readonly restoreTags?: RestoreTagEffect;
  /**
   * How long after accepting a restore the namespace still reports AVAILABLE before MODIFYING,
   * which AWS does not publish (verify/facts.ts, modifying-on-accept): 0, at once, by default.
   * During that time the endpoint, like a service that has not yet marked the namespace busy,
   * would take a second restore.
   */
  readonly restoreReportedAfterMs?: number;
  /**
   * The error RestoreFromSnapshot gives for a snapshot of another account not shared with this
   * one, which AWS does not publish (verify/facts.ts, unshared-snapshot-error).
   */
  readonly unsharedSnapshotError?: UnsharedSnapshotError;
  /**
   * Which namespaces a recovery point restores into, which AWS does not publish
   * (verify/facts.ts, recovery-point-into-own-namespace): any (the default) or its own only.
   */
  readonly recoveryPointTargets?: 'any-namespace' | 'own-namespace';
  /**
   * Whether a restore gives the namespace a new id (and ARN), which AWS does not publish
   * (verify/facts.ts, restore-keeps-identity): false, it keeps them, by default.
   */
  readonly restoreChangesNamespaceId?: boolean;
  /**
   * How the secret a restore with manageAdminPassword makes is named, which AWS does not publish
   * (verify/facts.ts, admin-secret-prefix): `redshift!` by default.
   */
  readonly adminSecretPrefix?: string;
  /**
   * The shape of the events the endpoint sends (serviceEvents()), which AWS does not publish
   * (verify/facts.ts, service-event-fields): `source-identifier` by default, or `none`.
   */
  readonly serviceEventShape?: ServiceEventShape | 'none';
  /**
   * What an update of AWS::RedshiftServerless::Namespace's Tags does to tags others set on the
   * namespace, which AWS does not publish (verify/facts.ts, cfn-namespace-foreign-tags): left
   * alone by default. Used by the endpoint's CloudFormation stacks (namespace-stacks.ts).
   */
  readonly cfnNamespaceForeignTags?: 'left-alone' | 'removed';
  /**
   * How a schedule names the snapshots it takes after its prefix, which AWS does not publish
   * (verify/facts.ts, scheduled-snapshot-name): `<prefix>-` and a time stamp by default.
   */
  readonly scheduledSnapshotName?: ScheduledSnapshotNameForm;
  /**
   * Parameter Store, which keeps the restore ledger (parameters.ts): whether two creators of one
   * name at once can both succeed, and how soon a parameter written is listed; neither is
   * published (verify/facts.ts, parameter-create-exclusive and parameter-listed-after-write).
   */
  readonly parameterCreates?: ParameterCreates;
  readonly parameterListedAfterMs?: number;
  /** Items per page of ListSnapshots, ListNamespaces, ListWorkgroups and ListScheduledActions: all on one by default. */
  readonly listPageSize?: number;
  /** The database user the Data API's caller becomes (fact database-user-of-role). */
  readonly databaseUser?: string;
  /** Data API statements fail until this long after a restore ended (fact data-api-after-restore). */
  readonly dataApiReadyAfterRestoreMs?: number;
  /** How long a new workgroup (and its namespace) is busy after CreateWorkgroup; at once by default. */
  readonly workgroupCreationMs?: number;
  /**
   * How long after CreateNamespace a namespace refuses a restore with ConflictException (fact
   * fresh-namespace-restorable); never by default.
   */
  readonly freshNamespaceRestorableAfterMs?: number;
}

/** The forms a scheduled snapshot's name might take after the prefix (verify/facts.ts, scheduled-snapshot-name). */
export const SCHEDULED_SNAPSHOT_NAME_FORMS = ['dash-digit', 'no-dash', 'dash-word'] as const;
export type ScheduledSnapshotNameForm = (typeof SCHEDULED_SNAPSHOT_NAME_FORMS)[number];

export type UnsharedSnapshotError = 'ResourceNotFoundException' | 'AccessDeniedException' | 'ValidationException';
export const UNSHARED_SNAPSHOT_ERRORS: readonly UnsharedSnapshotError[] = [
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
];

export type RestoreTagEffect = 'kept' | 'cleared-when-accepted' | 'cleared-when-available';
export const RESTORE_TAG_EFFECTS: readonly RestoreTagEffect[] = ['kept', 'cleared-when-accepted', 'cleared-when-available'];

export type CronSpelling = 'reference' | 'cron-word';
const CRON_SPELLINGS: Record<CronSpelling, RegExp> = {
  reference: /^\(\S+( \S+){5}\)$/,
  'cron-word': /^cron\(\S+( \S+){5}\)$/,
};

export class RedshiftServerlessModel {
  readonly region: string;
  readonly account: string;
  creationMs: number;
  deletionMs: number;
  readonly cronForms: readonly CronSpelling[];
  restoreMs: number;
  readonly restoreTags: RestoreTagEffect;
  readonly restoreReportedAfterMs: number;
  readonly unsharedSnapshotError: UnsharedSnapshotError;
  readonly recoveryPointTargets: 'any-namespace' | 'own-namespace';
  readonly restoreChangesNamespaceId: boolean;
  readonly adminSecretPrefix: string;
  readonly serviceEventShape: ServiceEventShape | 'none';
  readonly cfnNamespaceForeignTags: 'left-alone' | 'removed';
  readonly scheduledSnapshotName: ScheduledSnapshotNameForm;
  readonly parameterCreates: ParameterCreates;
  readonly parameterListedAfterMs: number;
  /** What the service announces, each at the time it happens (a snapshot or restore completing). */
  private readonly happenings: Happening[] = [];
  readonly listPageSize: number;
  readonly workgroupCreationMs: number;
  readonly databaseUser: string;
  readonly dataApiReadyAfterRestoreMs: number;
  readonly freshNamespaceRestorableAfterMs: number;
  private readonly now: () => number;
  private readonly workgroups = new Map<string, WorkgroupRecord>();
  private readonly foreignSnapshots = new Map<string, ForeignSnapshotRecord>();
  private readonly recoveryPoints = new Map<string, RecoveryPointRecord>();
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly snapshots = new Map<string, SnapshotRecord>();
  private readonly tags = new Map<string, Map<string, string>>();
  private readonly policies = new Map<string, string>();
  private readonly endStatusOfNext = new Map<string, SnapshotStatus>();
  private readonly scheduledActions = new Map<string, ScheduledActionRecord>();

  constructor(options: ModelOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '123456789012';
    this.creationMs = options.creationMs ?? 200;
    this.deletionMs = options.deletionMs ?? 0;
    this.now = options.now ?? Date.now;
    this.cronForms = options.cronForms ?? ['reference'];
    this.restoreMs = options.restoreMs ?? 300;
    this.restoreTags = options.restoreTags ?? 'kept';
    this.restoreReportedAfterMs = options.restoreReportedAfterMs ?? 0;
    this.unsharedSnapshotError = options.unsharedSnapshotError ?? 'ResourceNotFoundException';
    this.recoveryPointTargets = options.recoveryPointTargets ?? 'any-namespace';
    this.restoreChangesNamespaceId = options.restoreChangesNamespaceId ?? false;
    this.adminSecretPrefix = options.adminSecretPrefix ?? 'redshift!';
    this.serviceEventShape = options.serviceEventShape ?? 'source-identifier';
    this.cfnNamespaceForeignTags = options.cfnNamespaceForeignTags ?? 'left-alone';
    this.scheduledSnapshotName = options.scheduledSnapshotName ?? 'dash-digit';
    this.parameterCreates = options.parameterCreates ?? 'exclusive';
    this.parameterListedAfterMs = options.parameterListedAfterMs ?? 0;
    this.listPageSize = options.listPageSize ?? Number.POSITIVE_INFINITY;
    this.workgroupCreationMs = options.workgroupCreationMs ?? 0;
    this.databaseUser = options.databaseUser ?? 'IAMR:drill-role';
    this.dataApiReadyAfterRestoreMs = options.dataApiReadyAfterRestoreMs ?? 0;
    this.freshNamespaceRestorableAfterMs = options.freshNamespaceRestorableAfterMs ?? 0;
  }

  /** The events the service has sent by now (best effort in AWS; all of them here), oldest first. */
  serviceEvents(): ServiceEvent[] {
    if (this.serviceEventShape === 'none') return [];
    const shape = this.serviceEventShape;
    return this.happenings
      .filter((happening) => happening.at <= this.now())
      .sort((a, b) => a.at - b.at)
      .map((happening) => sampleEvent(shape, happening, this.account, this.region));
  }

  // ------------------------------------------------------------ set-up, for tests

  /** A namespace, with a workgroup named `workgroupName` (the namespace's own name by default) unless `workgroup` is false. */
  addNamespace(name: string, options: { workgroup?: boolean; workgroupName?: string } = {}): void {
    const id = randomUUID();
    const namespace: NamespaceRecord = {
      name,
      id,
      arn: `arn:aws:redshift-serverless:${this.region}:${this.account}:namespace/${id}`,
      hasWorkgroup: options.workgroup ?? true,
      busyUntil: 0,
      data: `namespace:${name}`,
      restoringUntil: 0,
      restores: [],
    };
    this.namespaces.set(name, namespace);
    this.tags.set(namespace.arn, new Map());
    if (namespace.hasWorkgroup) {
      const workgroupName = options.workgroupName ?? name;
      const arn = `arn:aws:redshift-serverless:${this.region}:${this.account}:workgroup/${randomUUID()}`;
      this.workgroups.set(workgroupName, { name: workgroupName, arn, namespace });
    }
  }

  /** A snapshot another account took (under `arn`, when given), shared with the accounts in `sharedWith`. Returns its ARN. */
  addForeignSnapshot(input: { name: string; ownerAccount: string; sharedWith: readonly string[]; data: string; arn?: string }): string {
    const arn = input.arn ?? `arn:aws:redshift-serverless:${this.region}:${input.ownerAccount}:snapshot/${randomUUID()}`;
    this.foreignSnapshots.set(arn, { ...input, arn });
    return arn;
  }

  /** A recovery point the service took of `namespaceName` at `createdAt` (ms), holding its data as it is now. Returns its id. */
  addRecoveryPoint(namespaceName: string, createdAt: number): string {
    const namespace = this.namespace(namespaceName);
    const id = randomUUID();
    this.recoveryPoints.set(id, { id, namespace, createdAt, data: `${namespace.data}@${new Date(createdAt).toISOString()}` });
    return id;
  }

  /** A workload writes to the namespace (a migration, say): from now on it holds `data`. */
  writeData(namespaceName: string, data: string): void {
    this.namespace(namespaceName).data = data;
  }

  /** Whose data a namespace holds now. */
  dataOf(namespaceName: string): string {
    return this.namespace(namespaceName).data;
  }

  /** When the namespace's newest restore finished (ms), or 0 when it was never restored. */
  restoredUntil(namespaceName: string): number {
    return this.namespace(namespaceName).restoringUntil;
  }

  /** Whether a namespace of that name exists now. */
  hasNamespace(namespaceName: string): boolean {
    return this.namespaces.has(namespaceName);
  }

  /** Whether a workgroup of that name exists now. */
  hasWorkgroup(workgroupName: string): boolean {
    return this.workgroups.has(workgroupName);
  }

  /** Every restore a namespace accepted, in order. */
  restoresOf(namespaceName: string): readonly RestoreEntry[] {
    return this.namespace(namespaceName).restores;
  }

  /** The namespace's tags, for assertions. */
  namespaceTags(namespaceName: string): Record<string, string> {
    return Object.fromEntries(this.namespaceTagMap(this.namespace(namespaceName)));
  }

  /** A namespace's tags, once a finished restore that clears them has cleared them. */
  private namespaceTagMap(namespace: NamespaceRecord): Map<string, string> {
    const tags = this.tags.get(namespace.arn)!;
    if (namespace.clearTagsAt !== undefined && this.now() >= namespace.clearTagsAt) {
      tags.clear();
      namespace.clearTagsAt = undefined;
    }
    return tags;
  }

  /**
   * An AVAILABLE snapshot as an earlier release of the handler left it (the upgrade tests replay
   * those): taken long ago, with exactly these tags and policy statements. Returns its ARN.
   */
  addSnapshot(input: {
    name: string;
    namespaceName: string;
    retentionPeriod: number;
    tags: Record<string, string>;
    policyStatements?: readonly unknown[];
    /** When it was taken, in ms: a day ago by default. */
    createdAt?: number;
  }): string {
    const record: SnapshotRecord = {
      name: input.name,
      arn: `arn:aws:redshift-serverless:${this.region}:${this.account}:snapshot/${randomUUID()}`,
      namespace: this.namespace(input.namespaceName),
      createdAt: input.createdAt ?? this.now() - 86_400_000,
      creationMs: 0,
      endStatus: 'AVAILABLE',
      retentionPeriod: input.retentionPeriod,
      data: `namespace:${input.namespaceName}`,
    };
    this.snapshots.set(record.name, record);
    this.tags.set(record.arn, new Map(Object.entries(input.tags)));
    if (input.policyStatements?.length) {
      this.putResourcePolicy({
        resourceArn: record.arn,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: input.policyStatements }),
      });
    }
    return record.arn;
  }

  /**
   * The namespace reports MODIFYING, and refuses snapshots, for the next `ms`; with `fromFirstLook`,
   * for `ms` from the first call that looks at it, so the first call is refused however late a
   * loaded machine makes it.
   */
  holdNamespaceBusy(name: string, ms: number, options: { fromFirstLook?: boolean } = {}): void {
    const namespace = this.namespace(name);
    if (options.fromFirstLook) namespace.busyFromFirstLookMs = ms;
    else namespace.busyUntil = this.now() + ms;
  }

  /** The next snapshot created under this name ends with `status` instead of AVAILABLE. */
  endNextSnapshot(name: string, status: SnapshotStatus): void {
    this.endStatusOfNext.set(name, status);
  }

  // ------------------------------------------------------------ operations

  createSnapshot(input: { snapshotName?: string; namespaceName?: string; retentionPeriod?: number; tags?: Tag[] }) {
    const name = requireName('snapshotName', input.snapshotName);
    const namespaceName = requireName('namespaceName', input.namespaceName);
    const retention = input.retentionPeriod ?? -1;
    if (retention !== -1 && (!Number.isInteger(retention) || retention < 1 || retention > 3653)) {
      throw new ServiceError('ValidationException', `Retention period must be -1 or between 1 and 3653 days, got ${retention}`);
    }
    if ((input.tags ?? []).length > 200) throw new ServiceError('TooManyTagsException', 'A resource can have at most 200 tags');
    const namespace = this.namespaces.get(namespaceName);
    if (!namespace) throw new ServiceError('ResourceNotFoundException', `Serverless namespace ${namespaceName} not found`);
    if (!namespace.hasWorkgroup) {
      throw new ServiceError(
        'ValidationException',
        "You can't create a snapshot because there isn't a workgroup created for the namespace",
      );
    }
    if (this.visible(name)) throw new ServiceError('ConflictException', `Snapshot ${name} already exists`);
    if (this.namespaceStatus(namespace) !== 'AVAILABLE') {
      throw new ServiceError('ConflictException', `There is an operation running on the namespace ${namespaceName}. Try again later.`);
    }
    const record: SnapshotRecord = {
      name,
      arn: `arn:aws:redshift-serverless:${this.region}:${this.account}:snapshot/${randomUUID()}`,
      namespace,
      createdAt: this.now(),
      creationMs: this.creationMs,
      endStatus: this.endStatusOfNext.get(name) ?? 'AVAILABLE',
      retentionPeriod: retention,
      data: namespace.data,
    };
    this.endStatusOfNext.delete(name);
    this.snapshots.set(name, record);
    if (record.endStatus === 'AVAILABLE') {
      this.happenings.push({ kind: 'snapshot-completed', snapshotName: name, namespaceName, at: record.createdAt + record.creationMs });
    }
    this.tags.set(record.arn, new Map((input.tags ?? []).map((t) => [t.key, t.value])));
    return { snapshot: this.view(record) };
  }

  getSnapshot(input: { snapshotName?: string; snapshotArn?: string }) {
    const record = input.snapshotName !== undefined ? this.visible(input.snapshotName) : this.byArn(input.snapshotArn);
    if (!record) throw new ServiceError('ResourceNotFoundException', `Snapshot ${input.snapshotName ?? input.snapshotArn} not found`);
    return { snapshot: this.view(record) };
  }

  updateSnapshot(input: { snapshotName?: string; retentionPeriod?: number }) {
    const record = this.existing(input.snapshotName);
    const retention = input.retentionPeriod ?? record.retentionPeriod;
    if (retention !== -1 && (retention < 1 || retention > 3653)) {
      throw new ServiceError('ValidationException', `Retention period must be -1 or between 1 and 3653 days, got ${retention}`);
    }
    record.retentionPeriod = retention;
    return { snapshot: this.view(record) };
  }

  deleteSnapshot(input: { snapshotName?: string }) {
    const record = this.existing(input.snapshotName);
    const status = this.status(record);
    if (status === 'CREATING' || status === 'COPYING') {
      throw new ServiceError('ConflictException', `Snapshot ${record.name} is being created and can't be deleted yet`);
    }
    if (status === 'DELETED') throw new ServiceError('ConflictException', `Snapshot ${record.name} is already being deleted`);
    record.deletedAt = this.now();
    const view = this.view(record);
    if (this.deletionMs === 0) this.forget(record);
    return { snapshot: view };
  }

  listSnapshots(input: { namespaceName?: string; nextToken?: string }) {
    const records = [...this.snapshots.values()].filter(
      (r) => this.visible(r.name) === r && (input.namespaceName === undefined || r.namespace.name === input.namespaceName),
    );
    const { items, nextToken } = this.page(records, input.nextToken);
    return { snapshots: items.map((r) => this.view(r)), nextToken };
  }

  /** One page of a listing, from the position a nextToken names. */
  private page<T>(all: readonly T[], token: string | undefined): { items: T[]; nextToken?: string } {
    // Tokens are opaque to clients; some listings' published constraint wants at least 8 characters.
    const start = token === undefined ? 0 : Number(token.replace(/^page-0*/, ''));
    const end = start + this.listPageSize;
    return { items: all.slice(start, end), nextToken: end < all.length ? `page-${String(end).padStart(8, '0')}` : undefined };
  }

  getNamespace(input: { namespaceName?: string }) {
    const namespace = this.namespace(input.namespaceName ?? '');
    return {
      namespace: {
        namespaceName: namespace.name,
        namespaceArn: namespace.arn,
        namespaceId: namespace.id,
        status: this.namespaceStatus(namespace),
        creationDate: new Date(0).toISOString(),
        adminPasswordSecretArn: namespace.adminPasswordSecretArn,
      },
    };
  }

  // ------------------------------------------------------------ namespaces and workgroups, as `npm run verify:aws` makes them

  /** A namespace without a workgroup; AVAILABLE at once. */
  createNamespace(input: { namespaceName?: string; tags?: Tag[] }) {
    const name = requireName('namespaceName', input.namespaceName);
    if (this.namespaces.has(name)) throw new ServiceError('ConflictException', `Namespace ${name} already exists`);
    this.addNamespace(name, { workgroup: false });
    const namespace = this.namespace(name);
    namespace.createdAt = this.now();
    // A namespace made empty holds no one's data until a restore brings some.
    namespace.data = `empty:${name}`;
    for (const tag of input.tags ?? []) this.tags.get(namespace.arn)?.set(tag.key, tag.value);
    return this.getNamespace({ namespaceName: name });
  }

  createWorkgroup(input: { workgroupName?: string; namespaceName?: string; tags?: Tag[] }) {
    const name = requireName('workgroupName', input.workgroupName);
    if (this.workgroups.has(name)) throw new ServiceError('ConflictException', `Workgroup ${name} already exists`);
    const namespace = this.namespace(requireName('namespaceName', input.namespaceName));
    if (namespace.hasWorkgroup) throw new ServiceError('ConflictException', `Namespace ${namespace.name} already has a workgroup`);
    namespace.hasWorkgroup = true;
    namespace.busyUntil = Math.max(namespace.busyUntil, this.now() + this.workgroupCreationMs);
    const arn = `arn:aws:redshift-serverless:${this.region}:${this.account}:workgroup/${randomUUID()}`;
    this.workgroups.set(name, { name, arn, namespace });
    this.tags.set(arn, new Map((input.tags ?? []).map((tag) => [tag.key, tag.value])));
    return this.getWorkgroup({ workgroupName: name });
  }

  deleteWorkgroup(input: { workgroupName?: string }) {
    const view = this.getWorkgroup(input);
    const workgroup = this.workgroups.get(view.workgroup.workgroupName)!;
    workgroup.namespace.hasWorkgroup = false;
    this.workgroups.delete(workgroup.name);
    this.tags.delete(workgroup.arn);
    return view;
  }

  deleteNamespace(input: { namespaceName?: string }) {
    const view = this.getNamespace(input);
    const namespace = this.namespace(view.namespace.namespaceName);
    if (namespace.hasWorkgroup) throw new ServiceError('ConflictException', `Namespace ${namespace.name} still has a workgroup`);
    this.namespaces.delete(namespace.name);
    this.tags.delete(namespace.arn);
    return view;
  }

  listNamespaces(input: { nextToken?: string } = {}) {
    const { items, nextToken } = this.page([...this.namespaces.keys()].sort(), input.nextToken);
    return { namespaces: items.map((name) => this.getNamespace({ namespaceName: name }).namespace), nextToken };
  }

  listWorkgroups(input: { nextToken?: string } = {}) {
    const { items, nextToken } = this.page([...this.workgroups.keys()].sort(), input.nextToken);
    return { workgroups: items.map((name) => this.getWorkgroup({ workgroupName: name }).workgroup), nextToken };
  }

  getWorkgroup(input: { workgroupName?: string }) {
    const workgroup = this.workgroups.get(input.workgroupName ?? '');
    if (!workgroup) throw new ServiceError('ResourceNotFoundException', `Workgroup ${input.workgroupName} not found`);
    return {
      workgroup: {
        workgroupName: workgroup.name,
        workgroupArn: workgroup.arn,
        workgroupId: workgroup.arn.split('/')[1],
        namespaceName: workgroup.namespace.name,
        status: this.namespaceStatus(workgroup.namespace),
        creationDate: new Date(0).toISOString(),
      },
    };
  }

  /**
   * Replaces the namespace's data with the snapshot's: the namespace and its workgroup are then
   * MODIFYING for `restoreMs`, refusing other operations. A snapshot of another account is
   * found only when its owner shared it with this account.
   */
  restoreFromSnapshot(input: {
    namespaceName?: string;
    workgroupName?: string;
    snapshotName?: string;
    snapshotArn?: string;
    ownerAccount?: string;
    manageAdminPassword?: boolean;
  }) {
    // The model publishes both members as optional; what the service does with both is not
    // published (the handler never sends both), so here the ARN wins, and neither is refused.
    if (input.snapshotName === undefined && input.snapshotArn === undefined) {
      throw new ServiceError('ValidationException', 'Specify snapshotName or snapshotArn');
    }
    const own = input.snapshotArn === undefined ? this.visible(input.snapshotName ?? '') : this.byArn(input.snapshotArn);
    const foreign = input.snapshotArn === undefined ? undefined : this.foreignSnapshots.get(input.snapshotArn);
    if (foreign && !foreign.sharedWith.includes(this.account)) {
      throw new ServiceError(this.unsharedSnapshotError, `Snapshot ${input.snapshotArn} is not available to account ${this.account}`);
    }
    if (foreign && input.ownerAccount !== foreign.ownerAccount) {
      throw new ServiceError('ValidationException', `ownerAccount must be ${foreign.ownerAccount} for snapshot ${input.snapshotArn}`);
    }
    if (!own && !foreign)
      throw new ServiceError('ResourceNotFoundException', `Snapshot ${input.snapshotName ?? input.snapshotArn} not found`);
    if (own && this.status(own) !== 'AVAILABLE') {
      throw new ServiceError('ValidationException', `Snapshot ${own.name} is ${this.status(own)}, not AVAILABLE`);
    }
    const namespace = this.startRestore(
      input.namespaceName,
      input.workgroupName,
      `snapshot:${own?.name ?? foreign?.name}`,
      (own ?? foreign)!.data,
    );
    if (input.manageAdminPassword) {
      namespace.adminPasswordSecretArn = `arn:aws:secretsmanager:${this.region}:${this.account}:secret:${this.adminSecretPrefix}${namespace.id}-admin-AbCdEf`;
    }
    return {
      namespace: this.getNamespace({ namespaceName: namespace.name }).namespace,
      snapshotName: own?.name ?? foreign?.name,
      ownerAccount: foreign?.ownerAccount ?? this.account,
    };
  }

  restoreFromRecoveryPoint(input: { namespaceName?: string; workgroupName?: string; recoveryPointId?: string }) {
    const point = this.recoveryPoints.get(input.recoveryPointId ?? '');
    if (!point) throw new ServiceError('ResourceNotFoundException', `Recovery point ${input.recoveryPointId} not found`);
    if (this.recoveryPointTargets === 'own-namespace' && point.namespace.name !== input.namespaceName) {
      throw new ServiceError('ValidationException', `Recovery point ${point.id} belongs to namespace ${point.namespace.name}`);
    }
    const namespace = this.startRestore(input.namespaceName, input.workgroupName, `recovery-point:${point.id}`, point.data);
    return { namespace: this.getNamespace({ namespaceName: namespace.name }).namespace, recoveryPointId: point.id };
  }

  /** Recovery points as the wire carries them: times as RFC 3339 strings, as for snapshots. */
  listRecoveryPoints(input: { namespaceName?: string; startTime?: number; endTime?: number }) {
    const points = [...this.recoveryPoints.values()].filter(
      (p) =>
        (input.namespaceName === undefined || p.namespace.name === input.namespaceName) &&
        (input.startTime === undefined || p.createdAt >= input.startTime * 1000) &&
        (input.endTime === undefined || p.createdAt <= input.endTime * 1000),
    );
    return { recoveryPoints: points.map((p) => this.recoveryPointView(p)) };
  }

  getRecoveryPoint(input: { recoveryPointId?: string }) {
    const point = this.recoveryPoints.get(input.recoveryPointId ?? '');
    if (!point) throw new ServiceError('ResourceNotFoundException', `Recovery point ${input.recoveryPointId} not found`);
    return { recoveryPoint: this.recoveryPointView(point) };
  }

  private recoveryPointView(point: RecoveryPointRecord) {
    return {
      recoveryPointId: point.id,
      recoveryPointCreateTime: new Date(point.createdAt).toISOString(),
      namespaceName: point.namespace.name,
      namespaceArn: point.namespace.arn,
      totalSizeInMegaBytes: TOTAL_MB,
    };
  }

  private startRestore(namespaceName: string | undefined, workgroupName: string | undefined, from: string, data: string): NamespaceRecord {
    const namespace = this.namespace(requireName('namespaceName', namespaceName));
    const workgroup = this.workgroups.get(requireName('workgroupName', workgroupName));
    if (!workgroup) throw new ServiceError('ResourceNotFoundException', `Workgroup ${workgroupName} not found`);
    if (workgroup.namespace !== namespace) {
      throw new ServiceError('ValidationException', `Workgroup ${workgroupName} does not belong to namespace ${namespaceName}`);
    }
    if (this.namespaceStatus(namespace) !== 'AVAILABLE') {
      throw new ServiceError('ConflictException', `There is an operation running on the namespace ${namespace.name}. Try again later.`);
    }
    if (namespace.createdAt !== undefined && this.now() < namespace.createdAt + this.freshNamespaceRestorableAfterMs) {
      throw new ServiceError('ConflictException', `Namespace ${namespace.name} is not ready for a restore yet. Try again later.`);
    }
    namespace.restoreReportedAt = this.now() + this.restoreReportedAfterMs;
    namespace.restoringUntil = namespace.restoreReportedAt + this.restoreMs;
    if (this.restoreChangesNamespaceId) {
      const tags = this.tags.get(namespace.arn) ?? new Map<string, string>();
      this.tags.delete(namespace.arn);
      namespace.id = randomUUID();
      namespace.arn = `arn:aws:redshift-serverless:${this.region}:${this.account}:namespace/${namespace.id}`;
      this.tags.set(namespace.arn, tags);
    }
    if (this.restoreTags === 'cleared-when-accepted') this.tags.get(namespace.arn)?.clear();
    if (this.restoreTags === 'cleared-when-available') namespace.clearTagsAt = namespace.restoringUntil;
    namespace.data = data;
    namespace.restores.push({ from, data, at: this.now() });
    this.happenings.push({ kind: 'restore-completed', namespaceName: namespace.name, from, at: namespace.restoringUntil });
    this.happenings.push({ kind: 'datashare-dropped', namespaceName: namespace.name, at: namespace.restoringUntil });
    return namespace;
  }

  listTagsForResource(input: { resourceArn?: string }) {
    return { tags: [...this.tagMap(input.resourceArn)].map(([key, value]) => ({ key, value })) };
  }

  tagResource(input: { resourceArn?: string; tags?: Tag[] }) {
    const tags = this.tagMap(input.resourceArn);
    const merged = new Map(tags);
    for (const tag of input.tags ?? []) merged.set(tag.key, tag.value);
    if (merged.size > 200) throw new ServiceError('TooManyTagsException', 'A resource can have at most 200 tags');
    for (const tag of input.tags ?? []) tags.set(tag.key, tag.value);
    return {};
  }

  untagResource(input: { resourceArn?: string; tagKeys?: string[] }) {
    const tags = this.tagMap(input.resourceArn);
    for (const key of input.tagKeys ?? []) tags.delete(key);
    return {};
  }

  /**
   * Stores a snapshot's resource policy the way the service gives it back: each statement gets
   * the snapshot's `Resource`, and a single statement comes back as an object, not an array.
   */
  putResourcePolicy(input: { resourceArn?: string; policy?: string }) {
    const record = this.byArn(input.resourceArn);
    if (!record) throw new ServiceError('ResourceNotFoundException', `Resource ${input.resourceArn} not found`);
    let document: { Version?: string; Statement?: unknown };
    try {
      document = JSON.parse(input.policy ?? '') as { Version?: string; Statement?: unknown };
    } catch {
      throw new ServiceError('ValidationException', 'The resource policy is not valid JSON');
    }
    const statements = [document.Statement ?? []].flat().map((s) => ({ ...s, Resource: record.arn }));
    const stored = JSON.stringify({
      Version: document.Version ?? '2012-10-17',
      Statement: statements.length === 1 ? statements[0] : statements,
    });
    this.policies.set(record.arn, stored);
    return { resourcePolicy: { resourceArn: record.arn, policy: stored } };
  }

  getResourcePolicy(input: { resourceArn?: string }) {
    const policy = input.resourceArn === undefined ? undefined : this.policies.get(input.resourceArn);
    if (!policy || !this.byArn(input.resourceArn))
      throw new ServiceError('ResourceNotFoundException', `No resource policy for ${input.resourceArn}`);
    return { resourcePolicy: { resourceArn: input.resourceArn, policy } };
  }

  deleteResourcePolicy(input: { resourceArn?: string }) {
    if (input.resourceArn === undefined || !this.policies.delete(input.resourceArn)) {
      throw new ServiceError('ResourceNotFoundException', `No resource policy for ${input.resourceArn}`);
    }
    return {};
  }

  /** The accounts a snapshot's policy lets restore from it. */
  private restoreAccounts(arn: string): string[] {
    const policy = this.policies.get(arn);
    if (!policy) return [];
    const statements = [(JSON.parse(policy) as { Statement: unknown }).Statement].flat() as {
      Effect?: string;
      Action?: unknown;
      Principal?: { AWS?: unknown };
    }[];
    return statements
      .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('redshift-serverless:RestoreFromSnapshot'))
      .flatMap((s) => [s.Principal?.AWS ?? []].flat() as string[])
      .sort();
  }

  /** A snapshot's resource policy as stored, for assertions. */
  policyOf(name: string): string | undefined {
    const record = this.visible(name);
    return record && this.policies.get(record.arn);
  }

  // ------------------------------------------------------------ scheduled actions

  /**
   * The wire format is the SDK's for this shape: times are epoch seconds (not the RFC 3339
   * strings of a snapshot), and `schedule` and `targetAction` are unions with one key.
   */
  createScheduledAction(input: ScheduledActionInput) {
    const name = requireScheduleName(input.scheduledActionName);
    if (this.scheduledActions.has(name)) throw new ServiceError('ConflictException', `Scheduled action ${name} already exists`);
    const namespace = this.namespace(requireName('namespaceName', input.namespaceName));
    const record: ScheduledActionRecord = {
      name,
      uuid: randomUUID(),
      namespace,
      ...this.scheduledActionSettings(input),
      fired: false,
    };
    this.scheduledActions.set(name, record);
    return { scheduledAction: this.scheduledActionView(record) };
  }

  getScheduledAction(input: { scheduledActionName?: string }) {
    return { scheduledAction: this.scheduledActionView(this.scheduledAction(input.scheduledActionName)) };
  }

  /** Every setting but the name and the namespace is replaced by what the request gives. */
  updateScheduledAction(input: ScheduledActionInput) {
    const record = this.scheduledAction(input.scheduledActionName);
    Object.assign(record, this.scheduledActionSettings(input, record));
    return { scheduledAction: this.scheduledActionView(record) };
  }

  deleteScheduledAction(input: { scheduledActionName?: string }) {
    const record = this.scheduledAction(input.scheduledActionName);
    this.scheduledActions.delete(record.name);
    return { scheduledAction: this.scheduledActionView(record) };
  }

  listScheduledActions(input: { namespaceName?: string; nextToken?: string }) {
    const records = [...this.scheduledActions.values()].filter(
      (r) => input.namespaceName === undefined || r.namespace.name === input.namespaceName,
    );
    const { items, nextToken } = this.page(records, input.nextToken);
    return { scheduledActions: items.map((r) => ({ scheduledActionName: r.name, namespaceName: r.namespace.name })), nextToken };
  }

  /** Runs a scheduled action now, as the scheduler would at one of its times: it takes a snapshot. */
  triggerScheduledAction(name: string): string {
    const record = this.scheduledAction(name);
    const stamp = new Date(this.now())
      .toISOString()
      .slice(0, 19)
      .toLowerCase()
      .replace(/[^0-9t]/g, '-');
    const prefix = record.target.snapshotNamePrefix;
    const names: Record<ScheduledSnapshotNameForm, string> = {
      'dash-digit': `${prefix}-${stamp}`,
      'no-dash': `${prefix}${stamp}`,
      'dash-word': `${prefix}-scheduled-${stamp}`,
    };
    const snapshotName = names[this.scheduledSnapshotName];
    this.createSnapshot({
      snapshotName,
      namespaceName: record.target.namespaceName,
      retentionPeriod: record.target.retentionPeriod,
      tags: record.target.tags,
    });
    return snapshotName;
  }

  /** Takes the snapshot of every enabled `at` schedule whose time has come: called on every request. */
  runDueScheduledActions(): void {
    for (const record of this.scheduledActions.values()) {
      if (record.enabled && !record.fired && record.schedule.at !== undefined && record.schedule.at <= this.now()) {
        record.fired = true;
        this.triggerScheduledAction(record.name);
      }
    }
  }

  scheduledActionNames(): string[] {
    return [...this.scheduledActions.keys()].sort();
  }

  private scheduledAction(name: string | undefined): ScheduledActionRecord {
    const record = this.scheduledActions.get(name ?? '');
    if (!record) throw new ServiceError('ResourceNotFoundException', `Scheduled action ${name} not found`);
    return record;
  }

  private scheduledActionSettings(input: ScheduledActionInput, current?: ScheduledActionRecord) {
    const schedule = input.schedule ?? current?.schedule;
    if (!schedule || (schedule.at === undefined) === (schedule.cron === undefined)) {
      throw new ServiceError('ValidationException', 'schedule must hold exactly one of at and cron');
    }
    if (schedule.cron !== undefined && !this.cronForms.some((form) => CRON_SPELLINGS[form].test(schedule.cron ?? ''))) {
      throw new ServiceError('ValidationException', `Invalid cron expression ${schedule.cron}`);
    }
    const roleArn = input.roleArn ?? current?.roleArn;
    if (!roleArn || !/^arn:[^:]+:iam::\d{12}:role\/.+$/.test(roleArn))
      throw new ServiceError('ValidationException', `Invalid roleArn ${roleArn}`);
    const target = input.targetAction?.createSnapshot ?? current?.target;
    if (!target?.namespaceName || !target.snapshotNamePrefix) {
      throw new ServiceError('ValidationException', 'targetAction.createSnapshot needs namespaceName and snapshotNamePrefix');
    }
    if ((target.tags ?? []).length > 200) throw new ServiceError('TooManyTagsException', 'A resource can have at most 200 tags');
    return {
      roleArn,
      schedule: { at: schedule.at === undefined ? undefined : schedule.at * (input.schedule ? 1000 : 1), cron: schedule.cron },
      enabled: input.enabled ?? current?.enabled ?? true,
      startTime: input.startTime === undefined ? undefined : input.startTime * 1000,
      endTime: input.endTime === undefined ? undefined : input.endTime * 1000,
      description: input.scheduledActionDescription,
      target: { ...target, tags: [...(target.tags ?? [])] },
    };
  }

  private scheduledActionView(record: ScheduledActionRecord) {
    const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
    const upcoming = !record.enabled
      ? []
      : record.schedule.cron !== undefined
        ? nextCronInvocations(record.schedule.cron, Math.max(this.now(), record.startTime ?? 0), 5).filter(
            (at) => record.endTime === undefined || at.getTime() <= record.endTime,
          )
        : record.schedule.at !== undefined && record.schedule.at > this.now()
          ? [new Date(record.schedule.at)]
          : [];
    return {
      scheduledActionName: record.name,
      scheduledActionUuid: record.uuid,
      namespaceName: record.namespace.name,
      schedule: record.schedule.cron !== undefined ? { cron: record.schedule.cron } : { at: seconds(record.schedule.at) },
      scheduledActionDescription: record.description,
      nextInvocations: upcoming.map((at) => at.getTime() / 1000),
      roleArn: record.roleArn,
      state: record.enabled ? 'ACTIVE' : 'DISABLED',
      startTime: seconds(record.startTime),
      endTime: seconds(record.endTime),
      targetAction: { createSnapshot: record.target },
    };
  }

  // ------------------------------------------------------------ reading state, for assertions

  /** The snapshots that exist now, by name, with their retention, tags and status. */
  state(): { name: string; namespace: string; arn: string; status: SnapshotStatus; retention: number; tags: Record<string, string> }[] {
    return this.listSnapshots({}).snapshots.map((s) => ({
      name: s.snapshotName,
      namespace: s.namespaceName,
      arn: s.snapshotArn,
      status: s.status,
      retention: s.snapshotRetentionPeriod,
      tags: Object.fromEntries(this.tags.get(s.snapshotArn) ?? []),
    }));
  }

  // ------------------------------------------------------------ internals

  private namespace(name: string): NamespaceRecord {
    const namespace = this.namespaces.get(name);
    if (!namespace) throw new ServiceError('ResourceNotFoundException', `Serverless namespace ${name} not found`);
    return namespace;
  }

  private namespaceStatus(namespace: NamespaceRecord): 'AVAILABLE' | 'MODIFYING' {
    const now = this.now();
    if (namespace.busyFromFirstLookMs !== undefined) {
      namespace.busyUntil = Math.max(namespace.busyUntil, now + namespace.busyFromFirstLookMs);
      namespace.busyFromFirstLookMs = undefined;
    }
    const restoring = now >= (namespace.restoreReportedAt ?? 0) && now < namespace.restoringUntil;
    return now < namespace.busyUntil || restoring ? 'MODIFYING' : 'AVAILABLE';
  }

  private status(record: SnapshotRecord): SnapshotStatus {
    if (record.deletedAt !== undefined) return 'DELETED';
    return this.now() - record.createdAt < record.creationMs ? 'CREATING' : record.endStatus;
  }

  /** The record under this name, unless its deletion has finished. */
  private visible(name: string): SnapshotRecord | undefined {
    const record = this.snapshots.get(name);
    if (record?.deletedAt !== undefined && this.now() - record.deletedAt >= this.deletionMs) {
      this.forget(record);
      return undefined;
    }
    return record;
  }

  private existing(name: string | undefined): SnapshotRecord {
    const record = this.visible(name ?? '');
    if (!record) throw new ServiceError('ResourceNotFoundException', `Snapshot ${name} not found`);
    return record;
  }

  private byArn(arn: string | undefined): SnapshotRecord | undefined {
    const record = [...this.snapshots.values()].find((r) => r.arn === arn);
    return record && this.visible(record.name);
  }

  private tagMap(arn: string | undefined): Map<string, string> {
    const namespace = [...this.namespaces.values()].find((n) => n.arn === arn);
    if (namespace) return this.namespaceTagMap(namespace);
    const workgroup = [...this.workgroups.values()].find((w) => w.arn === arn);
    const record = workgroup ?? this.byArn(arn);
    const tags = record && this.tags.get(record.arn);
    if (!tags) throw new ServiceError('ResourceNotFoundException', `Resource ${arn} not found`);
    return tags;
  }

  private forget(record: SnapshotRecord): void {
    this.snapshots.delete(record.name);
    this.tags.delete(record.arn);
    this.policies.delete(record.arn);
  }

  private view(record: SnapshotRecord) {
    const status = this.status(record);
    const elapsedMs = Math.max(0, this.now() - record.createdAt);
    const done = status !== 'CREATING' ? 1 : Math.min(1, elapsedMs / Math.max(1, record.creationMs));
    const rate = TOTAL_MB / Math.max(0.001, record.creationMs / 1000);
    return {
      snapshotName: record.name,
      snapshotArn: record.arn,
      namespaceName: record.namespace.name,
      namespaceArn: record.namespace.arn,
      ownerAccount: this.account,
      status,
      snapshotCreateTime: new Date(record.createdAt).toISOString(),
      snapshotRetentionPeriod: record.retentionPeriod,
      snapshotRemainingDays: record.retentionPeriod === -1 ? undefined : record.retentionPeriod,
      kmsKeyId: 'AWS_OWNED_KMS_KEY',
      adminUsername: 'admin',
      totalBackupSizeInMegaBytes: TOTAL_MB,
      backupProgressInMegaBytes: Math.round(TOTAL_MB * done),
      currentBackupRateInMegaBytesPerSecond: status === 'CREATING' ? Math.round(rate) : 0,
      estimatedSecondsToCompletion: status === 'CREATING' ? Math.ceil((record.creationMs - elapsedMs) / 1000) : 0,
      elapsedTimeInSeconds: Math.floor(elapsedMs / 1000),
      accountsWithRestoreAccess: this.restoreAccounts(record.arn),
    };
  }
}

interface ScheduledActionInput {
  scheduledActionName?: string;
  namespaceName?: string;
  roleArn?: string;
  schedule?: { at?: number; cron?: string };
  targetAction?: { createSnapshot?: { namespaceName: string; snapshotNamePrefix: string; retentionPeriod?: number; tags?: Tag[] } };
  enabled?: boolean;
  startTime?: number;
  endTime?: number;
  scheduledActionDescription?: string;
}

function requireScheduleName(value: string | undefined): string {
  if (value === undefined || !/^[a-z0-9-]{3,60}$/.test(value)) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at 'scheduledActionName' failed to satisfy constraint`,
    );
  }
  return value;
}

function requireName(property: string, value: string | undefined): string {
  if (value === undefined || !NAME.test(value)) {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${property}' failed to satisfy constraint`,
    );
  }
  return value;
}
