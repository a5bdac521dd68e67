/*
 * Lambda's Invoke, as the Provider framework's functions call it through @aws-sdk/client-lambda
 * (AWS_ENDPOINT_URL_LAMBDA points here): `POST /2015-03-31/functions/{name}/invocations`, the
 * payload as the body, a function error reported with the X-Amz-Function-Error header and a
 * body of {errorType, errorMessage, trace}, as Lambda reports it.
 */
import { FunctionError, FunctionProcess } from '../lifecycle/function-process';
import { LoopbackServer, sendJson } from '../loopback-server';

interface Deployed {
  readonly process: FunctionProcess;
  readonly exportName: string;
  readonly timeoutMs: number;
}

/** What one invocation ended with: a result, or the error Lambda would report. */
export type InvocationOutcome = { readonly result: unknown } | { readonly error: FunctionError };

export class LambdaService {
  /** Every invocation, in order: which function, and whether it ended in an error. */
  readonly invocations: { functionName: string; error?: string }[] = [];
  private readonly functions = new Map<string, Deployed>();
  private readonly server = new LoopbackServer(async (request, body, response) => {
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(request.url ?? '');
    if (request.method !== 'POST' || !match) return sendJson(response, 404, { message: `no such route ${request.url}` });
    const outcome = await this.invoke(decodeURIComponent(match[1]), body === '' ? {} : JSON.parse(body));
    if ('error' in outcome) {
      const { errorType, message, trace } = outcome.error;
      return sendJson(response, 200, { errorType, errorMessage: message, trace }, { 'x-amz-function-error': 'Unhandled' });
    }
    sendJson(response, 200, outcome.result ?? null);
  });

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  deploy(arn: string, process: FunctionProcess, exportName: string, timeoutMs: number): void {
    this.functions.set(arn, { process, exportName, timeoutMs });
  }

  /** Runs a function as one invocation: a thrown error is the invocation's function error. */
  async invoke(functionName: string, payload: unknown): Promise<InvocationOutcome> {
    const deployed = this.functions.get(functionName);
    if (!deployed) throw new Error(`no function ${functionName} is deployed`);
    try {
      const result = await deployed.process.invoke(deployed.exportName, payload, deployed.timeoutMs);
      this.invocations.push({ functionName });
      return { result };
    } catch (error) {
      const failure = error instanceof FunctionError ? error : new FunctionError('Error', String(error), []);
      this.invocations.push({ functionName, error: failure.errorType });
      return { error: failure };
    }
  }
}
