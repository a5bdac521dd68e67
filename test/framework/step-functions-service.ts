/*
 * Step Functions' StartExecution for the Provider framework's waiter (AWS_ENDPOINT_URL_SFN points
 * here), running the waiter as its synthesized definition says: call the framework's isComplete;
 * on any error retry after IntervalSeconds (times BackoffRate), MaxAttempts times; then catch
 * into onTimeout with the last error as its Cause. Durations are scaled down by `scaleMs`.
 */
import { LambdaService } from './lambda-service';
import { LoopbackServer, sendJson } from '../loopback-server';
import { WaiterSettings } from './synthesized-provider';

export class StepFunctionsService {
  private readonly running = new Set<Promise<void>>();
  private executions = 0;
  private stopped = false;
  private readonly server = new LoopbackServer((request, body, response) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target !== 'AWSStepFunctions.StartExecution') return sendJson(response, 400, { __type: 'UnknownOperationException' });
    const { stateMachineArn, input } = JSON.parse(body) as { stateMachineArn: string; input: string };
    this.executions += 1;
    const execution = this.run(JSON.parse(input)).finally(() => this.running.delete(execution));
    this.running.add(execution);
    sendJson(response, 200, { executionArn: `${stateMachineArn}:execution-${this.executions}`, startDate: Date.now() / 1000 });
  });

  constructor(
    private readonly lambda: LambdaService,
    private readonly waiter: WaiterSettings,
    /** Real milliseconds per second of the template's durations. */
    private readonly scaleMs: number,
  ) {}

  start(): Promise<string> {
    return this.server.start();
  }

  /** How many executions were started. */
  get executionsStarted(): number {
    return this.executions;
  }

  /** Waits until every execution started so far has ended by itself. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Ends every execution at its next step, waits for them, then stops listening. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.running]);
    await this.server.stop();
  }

  private async run(input: unknown): Promise<void> {
    let interval = this.waiter.intervalSeconds;
    for (let retries = 0; !this.stopped; retries++) {
      const outcome = await this.lambda.invoke(this.waiter.isCompleteArn, input);
      if (!('error' in outcome)) return;
      if (retries >= this.waiter.maxAttempts) {
        const { errorType, message, trace } = outcome.error;
        await this.lambda.invoke(this.waiter.onTimeoutArn, {
          Error: errorType,
          Cause: JSON.stringify({ errorType, errorMessage: message, trace }),
        });
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, interval * this.scaleMs));
      interval *= this.waiter.backoffRate;
    }
  }
}
