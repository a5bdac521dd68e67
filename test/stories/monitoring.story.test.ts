/*
 * docs/monitoring.md's examples deployed through the shipped handler against the local endpoint:
 * the schedule's completed snapshot is counted by its alarm's rule (with the windows the page
 * gives), and the refresh's restore is heard by onRestoreEvent. The rules are matched against the
 * events the endpoint sends, with EventBridge's rules (test/monitoring/event-pattern-matcher.ts).
 */
import * as path from 'path';
import { DOCS } from '../markdown-files';
import { EventPattern, matchesEventPattern } from '../monitoring/event-pattern-matcher';
import { SynthesizedTemplate } from './stack-deployer';
import { HOUR, pageStack, requests, useStoryEnvironment } from './story-support';

const story = useStoryEnvironment();
const monitoring = path.join(DOCS, 'monitoring.md');

function resourcesOf(template: SynthesizedTemplate, type: string) {
  return Object.values(template.Resources)
    .filter((resource) => resource.Type === type)
    .map((resource) => resource.Properties as Record<string, unknown>);
}

test("docs/monitoring.md: the nightly snapshot is counted by the alarm's rule, and the refresh is heard by onRestoreEvent", async () => {
  const { deployer, endpoint, advance } = story();
  const scheduleOnly = pageStack(monitoring, [0]);
  expect(requests(await deployer.deploy(scheduleOnly))).toEqual(['Create Nightly']);
  expect(resourcesOf(scheduleOnly, 'AWS::CloudWatch::Alarm').map((alarm) => alarm.EvaluationPeriods)).toEqual([25, 49]);
  const [snapshotRule] = resourcesOf(scheduleOnly, 'AWS::Events::Rule');
  const taken = endpoint.model.triggerScheduledAction(deployer.physicalIdOf('Custom::RedshiftServerlessSnapshotSchedule'));
  advance(HOUR);
  const counted = endpoint.model.serviceEvents().filter((event) => matchesEventPattern(snapshotRule.EventPattern as EventPattern, event));
  expect(counted.map((event) => event.detail.sourceIdentifier)).toEqual([taken]);

  const withRefresh = pageStack(monitoring, [0, 1]);
  expect(requests(await deployer.deploy(withRefresh))).toEqual(['Create RefreshStaging']);
  advance(HOUR);
  const restoreRule = resourcesOf(withRefresh, 'AWS::Events::Rule').find((rule) => rule.Targets !== undefined)!;
  const restorePattern = deployer.resolveDeployed(restoreRule.EventPattern) as EventPattern;
  const heard = endpoint.model.serviceEvents().filter((event) => matchesEventPattern(restorePattern, event));
  // The restore (1004) and its dropped datashares (1045); not the safety snapshot of staging (1000), which is no restore event.
  expect(heard.map((event) => event.detail.eventId)).toEqual(['REDSHIFT-SERVERLESS-EVENT-1004', 'REDSHIFT-SERVERLESS-EVENT-1045']);
  // The restore named the nightly snapshot, but the schedule's rule does not count it.
  expect(
    endpoint.model.serviceEvents().filter((event) => matchesEventPattern(snapshotRule.EventPattern as EventPattern, event)),
  ).toHaveLength(1);
});
