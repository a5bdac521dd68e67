/*
 * The real Provider framework around the shipped handler: every function of the synthesized
 * provider runs in a process of its own from its cdk.out asset (the framework's runtime and the
 * handler bundle), reaching the others only through emulated Lambda Invoke and Step Functions
 * StartExecution on loopback, and answering CloudFormation on a loopback ResponseURL.
 */
import * as path from 'path';
import { FunctionProcess, startFunctionProcess } from '../lifecycle/function-process';
import { handlerEnvironment, RUNTIME_PROVIDED_MODULES } from '../lifecycle/shipped-handler';
import { LambdaService } from './lambda-service';
import { ResponseEndpoint } from './response-endpoint';
import { StepFunctionsService } from './step-functions-service';
import { SynthesizedProvider, synthesizedProvider } from './synthesized-provider';

export interface ProviderHarnessOptions {
  /** The local Redshift Serverless (and DescribeStacks) endpoint the handler talks to. */
  readonly endpointUrl: string;
  /** Real milliseconds per second of the template's durations: 1000 is real time. */
  readonly scaleMs: number;
  /** Where the framework's own console output goes (it is not JSON); dropped by default. */
  readonly onFrameworkOutput?: (line: string) => void;
}

export class ProviderHarness {
  static async start(options: ProviderHarnessOptions): Promise<ProviderHarness> {
    const provider = synthesizedProvider();
    const lambda = new LambdaService();
    const stepFunctions = new StepFunctionsService(lambda, provider.waiter, options.scaleMs);
    const responses = new ResponseEndpoint();
    const [lambdaUrl, stepFunctionsUrl] = await Promise.all([lambda.start(), stepFunctions.start(), responses.start()]);

    const awsEdges = {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_LAMBDA: lambdaUrl,
      AWS_ENDPOINT_URL_SFN: stepFunctionsUrl,
      LOCAL_RESPONSE_URL_PORT: String(responses.port),
      // The framework's @aws-sdk/client-lambda and client-sfn, which the Lambda runtime provides.
      NODE_PATH: RUNTIME_PROVIDED_MODULES,
      NODE_NO_WARNINGS: '1',
    };
    const processes = new Map<string, FunctionProcess>();
    for (const fn of provider.functions) {
      let running = processes.get(fn.modulePath);
      if (!running) {
        const isFramework = path.basename(fn.modulePath) === 'framework.js';
        const environment = Object.assign(
          {},
          ...provider.functions.filter((f) => f.modulePath === fn.modulePath).map((f) => f.environment),
        ) as Record<string, string>;
        running = await startFunctionProcess(fn.modulePath, {
          env: { ...awsEdges, ...environment, ...(isFramework ? {} : handlerEnvironment(options.endpointUrl)) },
          preload: isFramework ? [path.join(__dirname, 'response-url-shim.js')] : [],
          onOutput: options.onFrameworkOutput,
        });
        processes.set(fn.modulePath, running);
      }
      lambda.deploy(fn.arn, running, fn.exportName, fn.timeoutMs);
    }
    return new ProviderHarness(provider, lambda, stepFunctions, responses, [...processes.values()], options.scaleMs);
  }

  private constructor(
    readonly provider: SynthesizedProvider,
    readonly lambda: LambdaService,
    private readonly stepFunctions: StepFunctionsService,
    readonly responses: ResponseEndpoint,
    private readonly processes: FunctionProcess[],
    readonly scaleMs: number,
  ) {}

  /** How many waiter executions the framework started. */
  get waiterExecutions(): number {
    return this.stepFunctions.executionsStarted;
  }

  /** Waits until every waiter execution has ended by itself. */
  settled(): Promise<void> {
    return this.stepFunctions.settled();
  }

  /** The handler's JSON log lines, from every handler invocation. */
  get handlerLogs() {
    return this.processes.flatMap((p) => p.logs);
  }

  async stop(): Promise<void> {
    await this.stepFunctions.stop();
    await Promise.all(this.processes.map((p) => p.stop()));
    await Promise.all([this.lambda.stop(), this.responses.stop()]);
  }
}
