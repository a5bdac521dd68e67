/*
 * What the story tests share: a markdown page's TypeScript examples synthesized into one stack (as
 * a reader pastes them, with the edits the page's text asks for), and a fresh local endpoint with
 * the shipped handler for each story, whose clock can jump ahead (nights pass between deploys).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { asStackModule, typescriptBlocks } from '../markdown-examples';
import { ROOT } from '../markdown-files';
import { STORY_BLOCKS } from './story-blocks';
import { RunningHandler, startShippedHandler } from '../lifecycle/shipped-handler';
import { LocalRedshiftServerless } from '../local-endpoint';
import { DeployedStep, StackDeployer, SynthesizedTemplate } from './stack-deployer';

const WORK_DIR = path.join(__dirname, '..', '.story-stacks');
export const HOUR = 3_600_000;
/** The modules this test file wrote, removed when it ends (other files may be writing theirs). */
const written: string[] = [];

/** The stack of `page`'s examples `blocks` (0-based) read together, after the text edits a reader makes. */
export function pageStack(page: string, blocks: number[], edits: [string, string][] = []): SynthesizedTemplate {
  const listed = STORY_BLOCKS[path.relative(ROOT, page)] ?? [];
  const unlisted = blocks.filter((block) => !listed.includes(block));
  if (unlisted.length > 0) throw new Error(`Blocks ${unlisted.join(', ')} of ${page} are not in STORY_BLOCKS (story-blocks.ts)`);
  const examples = typescriptBlocks(readFileSync(page, 'utf8'));
  let source = blocks.map((i) => examples[i]).join('\n');
  for (const [from, to] of edits) {
    if (!source.includes(from)) throw new Error(`The examples of ${path.basename(page)} no longer contain ${from}`);
    source = source.replace(from, to);
  }
  mkdirSync(WORK_DIR, { recursive: true });
  const file = path.join(WORK_DIR, `${path.basename(page, '.md')}-${process.pid}-${written.length + 1}.ts`);
  writeFileSync(file, asStackModule(source));
  written.push(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Example } = require(file) as { Example: new (scope: App, id: string) => Stack };
  return Template.fromStack(new Example(new App(), 'StoryStack')).toJSON() as SynthesizedTemplate;
}

/** The requests of a deploy, as "Create BeforeMigration": the logical id without its hash. */
export const requests = (steps: DeployedStep[]) => steps.map((s) => `${s.request} ${s.logicalId.replace(/[0-9A-F]{8}$/, '')}`);

export interface StoryEnvironment {
  readonly endpoint: LocalRedshiftServerless;
  /** The shipped handler bundle, for the drill function's entry too. */
  readonly handler: RunningHandler;
  /** The endpoint's clock. */
  readonly now: () => number;
  readonly deployer: StackDeployer;
  /** Moves the endpoint's clock ahead. */
  readonly advance: (ms: number) => void;
  /** The snapshots of a namespace. */
  readonly snapshots: (namespace: string) => ReturnType<LocalRedshiftServerless['model']['state']>;
  /** The sources of a namespace's restores, in order. */
  readonly restores: (namespace: string) => string[];
}

/** How long one story may take: a dozen deploys, each waiting out the endpoint's snapshots and restores. */
export const STORY_TIMEOUT_MS = 60_000;

/** Registers a fresh endpoint, shipped handler and deployer for each test of the calling file. */
export function useStoryEnvironment(): () => StoryEnvironment {
  jest.setTimeout(STORY_TIMEOUT_MS);
  let handler: RunningHandler;
  let current: StoryEnvironment | undefined;
  beforeEach(async () => {
    let offset = 0;
    const now = () => Date.now() + offset;
    const endpoint = new LocalRedshiftServerless({ creationMs: 300, restoreMs: 300, now });
    handler = await startShippedHandler(await endpoint.start());
    current = {
      endpoint,
      handler,
      now,
      deployer: new StackDeployer(endpoint, handler),
      advance: (ms) => {
        offset += ms;
      },
      snapshots: (namespace) => endpoint.model.state().filter((s) => s.namespace === namespace),
      restores: (namespace) => endpoint.model.restoresOf(namespace).map((r) => r.from),
    };
  });
  afterEach(async () => {
    await handler.stop();
    await current?.endpoint.stop();
  });
  afterAll(() => written.splice(0).forEach((file) => rmSync(file, { force: true })));
  return () => {
    if (!current) throw new Error('the story environment is set up in beforeEach');
    return current;
  };
}
