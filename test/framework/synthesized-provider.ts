/*
 * The provider exactly as the example app synthesizes it: the Provider framework's own functions
 * (its runtime copied into cdk.out), the handler's functions, and the waiter state machine's
 * retry settings, all read from the template rather than restated here.
 */
import * as path from 'path';
import { synthesizeExample, TemplateResource } from '../lifecycle/shipped-handler';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

export interface SynthesizedFunction {
  readonly logicalId: string;
  readonly arn: string;
  /** The module file and export, from the function's Handler ("framework.onEvent"). */
  readonly modulePath: string;
  readonly exportName: string;
  readonly timeoutMs: number;
  /** The environment variables, with references resolved to the emulated ARNs. */
  readonly environment: Record<string, string>;
}

export interface WaiterSettings {
  readonly isCompleteArn: string;
  readonly onTimeoutArn: string;
  readonly intervalSeconds: number;
  /** Retries after the first attempt, as Step Functions counts them. */
  readonly maxAttempts: number;
  readonly backoffRate: number;
}

export interface SynthesizedProvider {
  readonly functions: SynthesizedFunction[];
  readonly waiter: WaiterSettings;
  readonly stateMachineArn: string;
  /** The ServiceToken the snapshot resources use: the framework's onEvent function. */
  readonly serviceToken: string;
}

export function functionArn(logicalId: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${logicalId}`;
}

export function synthesizedProvider(): SynthesizedProvider {
  const example = synthesizeExample();
  const resources = example.template.Resources;
  const resolve = (value: unknown): string => resolveIntrinsic(value, resources);

  const functions = Object.entries(resources)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([logicalId, resource]): SynthesizedFunction => {
      const [file, exportName] = String(resource.Properties?.Handler).split('.');
      const variables = (resource.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
      return {
        logicalId,
        arn: functionArn(logicalId),
        modulePath: path.join(example.assetDirectoryOf(resource), `${file}.js`),
        exportName,
        timeoutMs: Number(resource.Properties?.Timeout ?? 3) * 1000,
        environment: Object.fromEntries(Object.entries(variables).map(([name, value]) => [name, resolve(value)])),
      };
    });

  const [stateMachineId, stateMachine] = Object.entries(resources).find(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine') ?? [];
  if (!stateMachineId || !stateMachine) throw new Error('the synthesized template has no waiter state machine');
  const definition = JSON.parse(resolve(stateMachine.Properties?.DefinitionString)) as {
    StartAt: string;
    States: Record<
      string,
      { Resource: string; Retry?: { IntervalSeconds: number; MaxAttempts: number; BackoffRate: number }[]; Catch?: { Next: string }[] }
    >;
  };
  const isCompleteTask = definition.States[definition.StartAt];
  const retry = isCompleteTask.Retry?.[0];
  const onTimeoutTask = definition.States[isCompleteTask.Catch?.[0]?.Next ?? ''];
  if (!retry || !onTimeoutTask) throw new Error('the waiter state machine has no retry or no timeout task');

  const onEvent = functions.find((f) => f.exportName === 'onEvent' && f.modulePath.endsWith('framework.js'));
  if (!onEvent) throw new Error('the synthesized template has no framework onEvent function');
  return {
    functions,
    stateMachineArn: stateMachineArnOf(stateMachineId),
    serviceToken: onEvent.arn,
    waiter: {
      isCompleteArn: isCompleteTask.Resource,
      onTimeoutArn: onTimeoutTask.Resource,
      intervalSeconds: retry.IntervalSeconds,
      maxAttempts: retry.MaxAttempts,
      backoffRate: retry.BackoffRate,
    },
  };
}

function stateMachineArnOf(logicalId: string): string {
  return `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${logicalId}`;
}

/** Resolves the intrinsics the provider's template uses: Fn::GetAtt Arn, Ref and Fn::Join. */
function resolveIntrinsic(value: unknown, resources: Record<string, TemplateResource>): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as { 'Fn::GetAtt'?: [string, string]; Ref?: string; 'Fn::Join'?: [string, unknown[]] };
  if (intrinsic['Fn::GetAtt']) return functionArn(intrinsic['Fn::GetAtt'][0]);
  if (intrinsic.Ref !== undefined) {
    const type = resources[intrinsic.Ref]?.Type;
    if (type === 'AWS::StepFunctions::StateMachine') return stateMachineArnOf(intrinsic.Ref);
    throw new Error(`cannot resolve a Ref to ${intrinsic.Ref} (${type})`);
  }
  if (intrinsic['Fn::Join']) {
    const [separator, parts] = intrinsic['Fn::Join'];
    return parts.map((part) => resolveIntrinsic(part, resources)).join(separator);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}
