/*
 * The ResponseURL: where the Provider framework PUTs its answer for CloudFormation. Each
 * request gets its own URL on 127.0.0.1 (the framework's HTTPS request is sent here by
 * response-url-shim.js), and CloudFormation's model waits for the answer on it.
 */
import { LoopbackServer } from '../loopback-server';

/** CloudFormation's limit on a custom resource's response body. */
const RESPONSE_LIMIT_BYTES = 4096;

export interface CustomResourceResponse {
  readonly Status: 'SUCCESS' | 'FAILED';
  readonly Reason?: string;
  readonly PhysicalResourceId: string;
  readonly Data?: Record<string, string>;
}

export class ResponseEndpoint {
  private readonly received = new Map<string, CustomResourceResponse>();
  /** Every answer to each request, the ignored later ones too. */
  private readonly all = new Map<string, CustomResourceResponse[]>();
  private readonly waiters = new Map<string, (response: CustomResourceResponse) => void>();
  private readonly server = new LoopbackServer((request, body, response) => {
    const requestId = /^\/cloudformation-response\/([^/?]+)/.exec(request.url ?? '')?.[1];
    if (request.method !== 'PUT' || !requestId) {
      response.writeHead(404).end();
      return;
    }
    const parsed = JSON.parse(body) as CustomResourceResponse;
    const answer: CustomResourceResponse =
      Buffer.byteLength(body) > RESPONSE_LIMIT_BYTES
        ? { Status: 'FAILED', Reason: 'Response object is too long.', PhysicalResourceId: parsed.PhysicalResourceId }
        : parsed;
    this.all.set(requestId, [...(this.all.get(requestId) ?? []), answer]);
    // CloudFormation takes the first answer to a request; later ones are ignored.
    if (!this.received.has(requestId)) {
      this.received.set(requestId, answer);
      this.waiters.get(requestId)?.(answer);
    }
    response.writeHead(200).end();
  });

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  get port(): number {
    return this.server.port;
  }

  /** Every answer a request got, in order: more than one when the request was delivered twice. */
  answersTo(requestId: string): CustomResourceResponse[] {
    return this.all.get(requestId) ?? [];
  }

  /** The presigned-looking URL the framework is given for one request. */
  urlFor(requestId: string): string {
    return `https://127.0.0.1/cloudformation-response/${requestId}?X-Amz-Signature=local`;
  }

  /** The answer to a request, or undefined when none came within `timeoutMs`. */
  waitFor(requestId: string, timeoutMs: number): Promise<CustomResourceResponse | undefined> {
    const already = this.received.get(requestId);
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(requestId);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(requestId, (response) => {
        clearTimeout(timer);
        this.waiters.delete(requestId);
        resolve(response);
      });
    });
  }
}
