/*
 * What the library relies on that AWS does not publish, in one place, as data: for each fact, what
 * the library assumes, the other answers AWS might give, what the library does under each, where
 * the guides describe it, and how `npm run verify:aws` probes it. The guides' "not yet verified"
 * statements are checked against this list (test/verify/facts.test.ts), and every answer has a
 * switch on the local endpoint and a test showing the library works or fails safe under it.
 */

/** How the local endpoint gives an answer: the model option (test/local-endpoint/model.ts) and its value. */
export interface EndpointSwitch {
  readonly option: string;
  readonly value: unknown;
}

/** One answer AWS might give, and what the library does if it does. */
export interface Answer {
  readonly id: string;
  readonly description: string;
  /** What the library does under this answer: works as documented, or fails safe (and how). */
  readonly libraryBehaviour: string;
  /** The local endpoint set to give this answer, its default behaviour, or why it cannot be. */
  readonly localEndpoint: EndpointSwitch | { readonly byDefault: true } | { readonly notModelled: string };
  /** The test that shows the library's behaviour under this answer (a path in the repository); absent while none does. */
  readonly shownBy?: string;
}

export interface Fact {
  readonly id: string;
  /** The question, as a reader of the guides would ask it. */
  readonly question: string;
  /** The answer the library and the local endpoint assume by default. */
  readonly assumed: string;
  readonly answers: readonly Answer[];
  /** The guide (relative to the repository) and heading where the fact is described. */
  readonly documentedIn: string;
  /** How the probe finds the answer, and what it needs. */
  readonly probe: {
    readonly method: string;
    /** Creates a namespace and workgroup (minutes, billed while they exist). */
    readonly needsNamespace: boolean;
    /** Needs a second account (`--second-profile`); without one the fact is reported not probed. */
    readonly needsSecondAccount: boolean;
    /** Rough wall-clock time, for the plan printed before consent. */
    readonly minutes: number;
  };
}

export const FACTS: readonly Fact[] = [
  {
    id: 'cron-form',
    question: 'Which form of a cron expression does CreateScheduledAction take?',
    assumed: 'reference-only',
    answers: [
      {
        id: 'reference-only',
        description: 'takes `(0 3 * * ? *)` (the API reference), refuses `cron(0 3 * * ? *)`',
        libraryBehaviour: 'works: the handler sends the reference form first',
        localEndpoint: { option: 'cronForms', value: ['reference'] },
        shownBy: 'test/lifecycle/schedule.test.ts',
      },
      {
        id: 'cron-only',
        description: 'takes `cron(0 3 * * ? *)` (the user guide), refuses `(0 3 * * ? *)`',
        libraryBehaviour: 'works: after the ValidationException the handler sends the cron(...) form once, and logs which form was taken',
        localEndpoint: { option: 'cronForms', value: ['cron-word'] },
        shownBy: 'test/lifecycle/schedule.test.ts',
      },
      {
        id: 'both',
        description: 'takes either form',
        libraryBehaviour: 'works: the reference form is sent and taken',
        localEndpoint: { option: 'cronForms', value: ['reference', 'cron-word'] },
        shownBy: 'test/lifecycle/schedule.test.ts',
      },
    ],
    documentedIn: 'docs/schedules.md#not-yet-verified-against-aws',
    probe: {
      method:
        'CreateScheduledAction (disabled) with each form on the scratch namespace, then GetScheduledAction to read the form echoed back (in the details)',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 1,
    },
  },
  {
    id: 'restore-namespace-tags',
    question: "What does a restore do to the target namespace's own tags?",
    assumed: 'kept',
    answers: [
      {
        id: 'kept',
        description: 'the tags stay',
        libraryBehaviour: 'works: the handler writes no tags on the namespace',
        localEndpoint: { option: 'restoreTags', value: 'kept' },
        shownBy: 'test/lifecycle/restore.test.ts',
      },
      {
        id: 'cleared-when-accepted',
        description: 'the tags are gone as soon as the restore is accepted',
        libraryBehaviour: 'works: the restore records are Systems Manager parameters, not tags',
        localEndpoint: { option: 'restoreTags', value: 'cleared-when-accepted' },
        shownBy: 'test/lifecycle/restore.test.ts',
      },
      {
        id: 'cleared-when-available',
        description: 'the tags are gone once the namespace is AVAILABLE again',
        libraryBehaviour: 'works: the restore records are Systems Manager parameters, not tags',
        localEndpoint: { option: 'restoreTags', value: 'cleared-when-available' },
        shownBy: 'test/lifecycle/restore.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'tag a scratch namespace, restore it from its own snapshot, and read its tags when accepted and when AVAILABLE',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 20,
    },
  },
  {
    id: 'modifying-on-accept',
    question: 'How soon does the namespace report MODIFYING once the service accepts a restore?',
    assumed: 'at-once',
    answers: [
      {
        id: 'at-once',
        description: 'GetNamespace says MODIFYING right after RestoreFromSnapshot answers',
        libraryBehaviour: 'works: after a restore call without a clear answer, MODIFYING shows the call was taken',
        localEndpoint: { option: 'restoreReportedAfterMs', value: 0 },
        shownBy: 'test/lifecycle/restore-unclear-answer.test.ts',
      },
      {
        id: 'within-the-watch',
        description: 'the namespace stays AVAILABLE for a few seconds after the restore is accepted',
        libraryBehaviour: 'works: after a restore call without a clear answer, the handler watches the namespace for 20 s',
        localEndpoint: { option: 'restoreReportedAfterMs', value: 2_000 },
        shownBy: 'test/lifecycle/restore-unclear-answer.test.ts',
      },
      {
        id: 'after-the-watch',
        description: 'the namespace stays AVAILABLE for longer than the handler watches',
        libraryBehaviour:
          'fails safe: after a restore call without a clear answer the request fails, naming the safety snapshot, and the call is never sent twice',
        localEndpoint: { option: 'restoreReportedAfterMs', value: 30_000 },
        shownBy: 'test/lifecycle/restore-unclear-answer.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: "restore a scratch namespace from its own snapshot and read the namespace's status at once, then every second",
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 20,
    },
  },
  {
    id: 'unshared-snapshot-error',
    question: 'What does RestoreFromSnapshot answer for a snapshot of another account that was not shared with this one?',
    assumed: 'ResourceNotFoundException',
    answers: ['ResourceNotFoundException', 'AccessDeniedException', 'ValidationException'].map((error) => ({
      id: error,
      description: `it answers ${error}`,
      libraryBehaviour:
        "fails before anything is overwritten, with the restoreAccounts advice for any refusal of another account's snapshot",
      localEndpoint: { option: 'unsharedSnapshotError', value: error },
      shownBy: 'test/lifecycle/restore-unshared.test.ts',
    })),
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'in the second account, take a snapshot and share it with no one; restore it into a scratch namespace of the first',
      needsNamespace: true,
      needsSecondAccount: true,
      minutes: 10,
    },
  },
  {
    id: 'admin-secret-prefix',
    question: 'Is the secret a restore with manageAdminPassword creates named `redshift!...`?',
    assumed: 'redshift!',
    answers: [
      {
        id: 'redshift!',
        description: 'its name starts with `redshift!`',
        libraryBehaviour: 'works: the Secrets Manager statement allows `secret:redshift!*`',
        localEndpoint: { option: 'adminSecretPrefix', value: 'redshift!' },
        shownBy: 'test/iam-evaluation.test.ts',
      },
      {
        id: 'other',
        description: 'it has another name',
        libraryBehaviour:
          "fails before anything is overwritten: the role's Secrets Manager statement does not match, the service refuses the restore, and the message says nothing was overwritten",
        localEndpoint: { option: 'adminSecretPrefix', value: 'rs-admin!' },
        shownBy: 'test/iam-evaluation.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: "the scratch namespace's restore is made with manageAdminPassword; the namespace's adminPasswordSecretArn is read afterwards",
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 20,
    },
  },
  {
    id: 'provisioned-snapshot-source',
    question: "Does RestoreFromSnapshot take a provisioned cluster's snapshot ARN, with permission on that ARN alone?",
    assumed: 'taken',
    answers: [
      {
        id: 'taken',
        description: 'the restore runs with RestoreFromSnapshot allowed on the cluster snapshot ARN',
        libraryBehaviour: 'works',
        localEndpoint: { notModelled: 'the local endpoint knows no provisioned clusters' },
        shownBy: 'test/restore-construct.test.ts',
      },
      {
        id: 'refused',
        description: 'the service refuses the ARN, or needs another permission',
        libraryBehaviour: "fails before anything is overwritten, with the service's message",
        localEndpoint: { notModelled: 'the local endpoint knows no provisioned clusters' },
        shownBy: 'test/handler/restore-waits.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'restore a provisioned cluster snapshot into a scratch namespace; it needs a provisioned cluster (an hour and its cost)',
      needsNamespace: false,
      needsSecondAccount: false,
      minutes: 0,
    },
  },
  {
    id: 'recovery-point-into-own-namespace',
    question: 'May a recovery point be restored into another namespace than its own?',
    assumed: 'any-namespace',
    answers: [
      {
        id: 'any-namespace',
        description: 'it may restore into any namespace',
        libraryBehaviour: "works: recoveryPoint by id is sent as given; recoveryPointBefore searches the target's own",
        localEndpoint: { option: 'recoveryPointTargets', value: 'any-namespace' },
        shownBy: 'test/lifecycle/restore-recovery-points.test.ts',
      },
      {
        id: 'own-namespace',
        description: 'a recovery point restores only into the namespace it was taken of',
        libraryBehaviour: "fails before anything is overwritten, with the service's message, for a recovery point of another namespace",
        localEndpoint: { option: 'recoveryPointTargets', value: 'own-namespace' },
        shownBy: 'test/lifecycle/restore-recovery-points.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'wait for a recovery point of the scratch namespace, restore it into a second scratch namespace, and read the answer',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 25,
    },
  },
  {
    id: 'restore-keeps-identity',
    question: "Does a restore change the target namespace's namespaceId or creationDate?",
    assumed: 'unchanged',
    answers: [
      {
        id: 'unchanged',
        description: 'the namespace keeps its id and creation date',
        libraryBehaviour: 'works',
        localEndpoint: { byDefault: true },
        shownBy: 'test/lifecycle/restore.test.ts',
      },
      {
        id: 'changed',
        description: 'the restored namespace has a new id (and ARN) or creation date',
        libraryBehaviour: 'works: the handler names namespaces by name and reads their ARNs fresh on each step',
        localEndpoint: { option: 'restoreChangesNamespaceId', value: true },
        shownBy: 'test/lifecycle/restore-identity.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'read the scratch namespace before and after the restore of the tags probe',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 0,
    },
  },
  {
    id: 'cfn-namespace-foreign-tags',
    question: 'When AWS::RedshiftServerless::Namespace updates its own tags, does it leave tags it did not set alone?',
    assumed: 'left-alone',
    answers: [
      {
        id: 'left-alone',
        description: 'tags others set on the namespace stay',
        libraryBehaviour: 'works: the library sets no tags on namespaces',
        localEndpoint: { option: 'cfnNamespaceForeignTags', value: 'left-alone' },
        shownBy: 'test/lifecycle/restore-namespace-stack.test.ts',
      },
      {
        id: 'removed',
        description: 'an update of the resource removes tags it did not set',
        libraryBehaviour: 'works: the library sets no tags on namespaces and keeps its restore records elsewhere, so nothing of it is lost',
        localEndpoint: { option: 'cfnNamespaceForeignTags', value: 'removed' },
        shownBy: 'test/lifecycle/restore-namespace-stack.test.ts',
      },
    ],
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'deploy a stack with a tagged namespace, tag it outside the stack, update the stack, and read the tags',
      needsNamespace: false,
      needsSecondAccount: false,
      minutes: 5,
    },
  },
  {
    id: 'service-event-fields',
    question:
      "Which fields of the service's events for a completed snapshot (REDSHIFT-SERVERLESS-EVENT-1000) and a completed or failed restore (1004 to 1007) name the snapshot and the namespace, and under which detail-type does 1000 arrive?",
    assumed: 'source-identifier',
    answers: [
      {
        id: 'source-identifier',
        description:
          'detail-type `Redshift Serverless Monitoring` for 1000; `detail.sourceIdentifier` names the snapshot or namespace, and `detail.sourceType` says which (`SNAPSHOT`, `NAMESPACE`)',
        libraryBehaviour: "works: the schedule's rule counts its snapshots; onRestoreEvent hears the target's restores",
      },
      {
        id: 'resource-name-field',
        description: '`detail.snapshotName` or `detail.namespaceName` names it, and no message does',
        libraryBehaviour: 'works: the patterns accept each of these fields',
      },
      {
        id: 'message-only',
        description: 'the name is only in the text of `detail.eventMessage` (or `detail.message`)',
        libraryBehaviour:
          "works: the patterns find the name in the message, bounded by the published words and the end of the name; the alarm also counts a schedule whose prefix extends this one's with a hyphen",
      },
      {
        id: 'unrecognised',
        description: 'the name is in a field the patterns do not name',
        libraryBehaviour:
          'fails loud: the missed-snapshot alarm goes to ALARM one window after deployment, every time; onRestoreEvent hears nothing (it is a notice, no data is at stake)',
      },
      {
        id: 'other-detail-type',
        description: '1000 arrives under another detail-type than `Redshift Serverless Monitoring`',
        libraryBehaviour: 'fails loud: the missed-snapshot alarm goes to ALARM; onRestoreEvent, which asks for no detail-type, works',
      },
      {
        id: 'none',
        description: 'no event arrives for a completed snapshot',
        libraryBehaviour: 'fails loud: the missed-snapshot alarm goes to ALARM',
      },
    ].map((answer) => ({
      ...answer,
      localEndpoint: { option: 'serviceEventShape', value: answer.id },
      shownBy: 'test/monitoring/service-event-patterns.test.ts',
    })),
    documentedIn: 'docs/monitoring.md#not-yet-verified-against-aws',
    probe: {
      method:
        "an EventBridge rule for the service's events into a scratch log group during the other probes, then the events read back and the field naming the snapshot found",
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 0,
    },
  },
  {
    id: 'scheduled-snapshot-name',
    question:
      'How does a schedule name the snapshots it takes: its snapshotNamePrefix, a hyphen, and a time stamp that starts with a digit?',
    assumed: 'dash-digit',
    answers: [
      {
        id: 'dash-digit',
        description: '`<prefix>-` and a time stamp that starts with a digit (such as `analytics-nightly-2026-12-03-03-00-00`)',
        libraryBehaviour:
          "works: latestSnapshot with the schedule's prefix and latestOf(schedule) pick its snapshots and no other schedule's; the alarm counts them",
        localEndpoint: { option: 'scheduledSnapshotName', value: 'dash-digit' },
      },
      {
        id: 'no-dash',
        description: 'the time stamp follows the prefix without a hyphen (`analytics-nightly2026…`)',
        libraryBehaviour:
          'fails safe: latestOf and latestSnapshot find no snapshot of the schedule, so the restore fails before it overwrites anything; the missed-snapshot alarm fires',
        localEndpoint: { option: 'scheduledSnapshotName', value: 'no-dash' },
      },
      {
        id: 'dash-word',
        description: 'a word comes before the time stamp (`analytics-nightly-scheduled-2026…`)',
        libraryBehaviour:
          'fails safe: latestOf and latestSnapshot find no snapshot of the schedule, so the restore fails before it overwrites anything; the missed-snapshot alarm fires',
        localEndpoint: { option: 'scheduledSnapshotName', value: 'dash-word' },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/lifecycle/restore-latest-of.test.ts' })),
    documentedIn: 'docs/schedules.md#not-yet-verified-against-aws',
    probe: {
      method: 'an enabled one-time schedule of the scratch namespace, a few minutes ahead, and the name of the snapshot it takes',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 15,
    },
  },
  {
    id: 'parameter-create-exclusive',
    question:
      'When two invocations create the same Systems Manager parameter at once (PutParameter without Overwrite), is exactly one told it created it?',
    assumed: 'exclusive',
    answers: [
      {
        id: 'exclusive',
        description: 'the second creator gets ParameterAlreadyExists, as it does for a name that existed before (the published part)',
        libraryBehaviour: "works: one copy of a restore request holds the attempt's claim and alone sends the call",
        localEndpoint: { option: 'parameterCreates', value: 'exclusive' },
      },
      {
        id: 'both-succeed',
        description: 'both creators are told they created it, and the last write stays',
        libraryBehaviour:
          'works: both copies may send the call, but the service refuses a restore while one runs (ConflictException, nothing taken) and the accepted one records `started`, which outranks every claim, so one restore runs',
        localEndpoint: { option: 'parameterCreates', value: 'both-succeed' },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/lifecycle/restore-concurrency.test.ts' })),
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'create the same scratch parameter from two clients at once, many times, and count the pairs both told success',
      needsNamespace: false,
      needsSecondAccount: false,
      minutes: 2,
    },
  },
  {
    id: 'parameter-listed-after-write',
    question: 'Does GetParametersByPath list a parameter as soon as PutParameter has answered?',
    assumed: 'at-once',
    answers: [
      {
        id: 'at-once',
        description: 'a parameter is listed as soon as its write is answered',
        libraryBehaviour: 'works: every copy of a restore request reads the records the others wrote',
        localEndpoint: { option: 'parameterListedAfterMs', value: 0 },
      },
      {
        id: 'later',
        description: 'a parameter is listed only a while after its write (eventual consistency)',
        libraryBehaviour:
          "works: a copy that cannot see a claim it failed to create waits and reads again; a copy's own create refuses a second claim of the attempt",
        localEndpoint: { option: 'parameterListedAfterMs', value: 200 },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/lifecycle/restore-concurrency.test.ts' })),
    documentedIn: 'docs/restore.md#not-yet-verified-against-aws',
    probe: {
      method: 'write a scratch parameter and list its folder at once, many times, and count the lists that miss it',
      needsNamespace: false,
      needsSecondAccount: false,
      minutes: 1,
    },
  },
  {
    id: 'triggered-rules-without-target',
    question: 'Does EventBridge count a rule without targets in its TriggeredRules metric when an event matches?',
    assumed: 'counted',
    answers: [
      {
        id: 'counted',
        description: 'TriggeredRules (dimension RuleName) counts every match of the rule, targets or not',
        libraryBehaviour: 'works: the missed-snapshot alarm stays OK while snapshots complete',
        localEndpoint: { notModelled: 'the local endpoint has no CloudWatch metrics; the alarm is checked on the template' },
        shownBy: 'test/monitoring/missed-snapshot-alarm.test.ts',
      },
      {
        id: 'not-counted',
        description: 'a rule without a target is not counted',
        libraryBehaviour:
          'fails loud: the alarm goes to ALARM one window after deployment; adding any target to the rule (onSnapshotCompleted has one) is the fix',
        localEndpoint: { notModelled: 'the local endpoint has no CloudWatch metrics; the alarm is checked on the template' },
        shownBy: 'test/monitoring/missed-snapshot-alarm.test.ts',
      },
    ],
    documentedIn: 'docs/monitoring.md#not-yet-verified-against-aws',
    probe: {
      method: "a scratch rule without a target on the service's events, and its TriggeredRules metric read an hour after the snapshot",
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 0,
    },
  },
  {
    id: 'database-user-of-role',
    question: 'Which database user does the Data API log a role in as, with IAM temporary credentials against a serverless workgroup?',
    assumed: 'iamr-role-name',
    answers: [
      {
        id: 'iamr-role-name',
        description: '`IAMR:<role name>`, as the Redshift management guide describes it for roles',
        libraryBehaviour:
          'works: the grant docs/drills.md gives to the drill output DatabaseUser lets the checks read the granted tables in every restored copy',
        localEndpoint: { option: 'databaseUser', value: 'IAMR:drill-role' },
      },
      {
        id: 'other-form',
        description: 'another name (the role session, say)',
        libraryBehaviour:
          'fails safe: a check that reads a granted table fails with permission denied, and the run fails, names the check and cleans up; the default check, which needs no grant, still passes',
        localEndpoint: { option: 'databaseUser', value: 'IAM:drill-role' },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/drill/drill-facts.test.ts' })),
    documentedIn: 'docs/drills.md#not-yet-verified-against-aws',
    probe: {
      method: 'a restore drill run whose check is `select current_user`, reading the name from its result event',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 30,
    },
  },
  {
    id: 'fresh-namespace-restorable',
    question: 'Does a namespace take a restore as soon as it and its new workgroup are AVAILABLE?',
    assumed: 'at-once',
    answers: [
      {
        id: 'at-once',
        description: 'yes, the restore is accepted at once',
        libraryBehaviour: 'works: the drill restores right after creating its scratch namespace and workgroup',
        localEndpoint: { option: 'freshNamespaceRestorableAfterMs', value: 0 },
      },
      {
        id: 'after-a-while',
        description: 'the restore is refused with ConflictException for a while after the namespace was made',
        libraryBehaviour: 'works: the drill tries again every 30 seconds until its run limit, then cleans up and fails',
        localEndpoint: { option: 'freshNamespaceRestorableAfterMs', value: 600_000 },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/drill/drill-facts.test.ts' })),
    documentedIn: 'docs/drills.md#not-yet-verified-against-aws',
    probe: {
      method: 'a restore drill run, counting the ConflictExceptions its restore call got before it was accepted',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 30,
    },
  },
  {
    id: 'fresh-namespace-restore-progress',
    question: 'Does a namespace that was just made show MODIFYING soon after a restore into it is accepted?',
    assumed: 'at-once',
    answers: [
      {
        id: 'at-once',
        description: 'the namespace (or its workgroup) is MODIFYING as soon as the restore is accepted, until it ends',
        libraryBehaviour: 'works: the drill waits for MODIFYING to end, then runs its checks',
        localEndpoint: { option: 'restoreReportedAfterMs', value: 0 },
      },
      {
        id: 'within-the-watch',
        description: 'it shows MODIFYING a few minutes after the call',
        libraryBehaviour: 'works: the drill keeps looking for 15 minutes after the call before it takes AVAILABLE as the restore ended',
        localEndpoint: { option: 'restoreReportedAfterMs', value: 300_000 },
      },
      {
        id: 'after-the-watch',
        description: 'it shows MODIFYING only after 15 minutes, or never',
        libraryBehaviour:
          'fails safe: the drill fails, saying the restore never showed running, rather than check a database that may not hold the restored data; it cleans up',
        localEndpoint: { option: 'restoreReportedAfterMs', value: 1_200_000 },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/drill/drill-facts.test.ts' })),
    documentedIn: 'docs/drills.md#not-yet-verified-against-aws',
    probe: {
      method: 'a restore drill run, logging the scratch namespace status from the restore call until AVAILABLE',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 30,
    },
  },
  {
    id: 'data-api-after-restore',
    question: 'Do Data API statements against a workgroup run as soon as a restore into its namespace has ended?',
    assumed: 'at-once',
    answers: [
      {
        id: 'at-once',
        description: 'yes, statements run as soon as the namespace and workgroup are AVAILABLE again',
        libraryBehaviour: 'works: the checks run once',
        localEndpoint: { option: 'dataApiReadyAfterRestoreMs', value: 0 },
      },
      {
        id: 'within-the-window',
        description: 'statements fail for a few minutes (the workgroup is still getting ready)',
        libraryBehaviour: 'works: a failed statement is sent again every minute for 10 minutes',
        localEndpoint: { option: 'dataApiReadyAfterRestoreMs', value: 300_000 },
      },
      {
        id: 'after-the-window',
        description: 'statements fail for longer than 10 minutes',
        libraryBehaviour: 'fails safe: the check fails with the statement error, and the run fails and cleans up',
        localEndpoint: { option: 'dataApiReadyAfterRestoreMs', value: 1_200_000 },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/drill/drill-facts.test.ts' })),
    documentedIn: 'docs/drills.md#not-yet-verified-against-aws',
    probe: {
      method: 'a restore drill run, recording the attempts of its first check',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 30,
    },
  },
  {
    id: 'restored-data-key',
    question: "Which KMS key encrypts the data restored into a namespace: the namespace's own, or the source's?",
    assumed: 'target-key',
    answers: [
      {
        id: 'target-key',
        description: "the target namespace's key (the drill's encryptionKey, or an AWS owned key)",
        libraryBehaviour: "works: no part of the library depends on it; docs/drills.md says the scratch data uses the drill's key",
        localEndpoint: { notModelled: 'the local endpoint does not model encryption; the drill sends its key with CreateNamespace' },
      },
      {
        id: 'source-key',
        description: "the source snapshot's key",
        libraryBehaviour:
          "works: the drill still restores and checks; the scratch data is then under the source's key, for which the service needs the source key's grants as for any restore",
        localEndpoint: { notModelled: 'the local endpoint does not model encryption; the drill sends its key with CreateNamespace' },
      },
    ].map((answer) => ({ ...answer, shownBy: 'test/drill/drill-construct.test.ts' })),
    documentedIn: 'docs/drills.md#not-yet-verified-against-aws',
    probe: {
      method: 'GetNamespace of a scratch namespace made with a key, after a restore: its kmsKeyId',
      needsNamespace: true,
      needsSecondAccount: false,
      minutes: 30,
    },
  },
];
