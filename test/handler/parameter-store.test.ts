/*
 * The Parameter Store the restore ledger is kept in, through the SSM client the handler makes
 * itself, against the local endpoint (AWS_ENDPOINT_URL_SSM, as in Lambda with the standard
 * configuration): a create refuses a second creator, a listing reads every page, a removal takes
 * the names it is given.
 */
import { ParameterStore, ssmParameterStore } from '../../lambda/shared/parameter-store';
import { LocalRedshiftServerless } from '../local-endpoint';

const endpoint = new LocalRedshiftServerless();
const saved = { ...process.env };
let store: ParameterStore;

beforeAll(async () => {
  const url = await endpoint.start();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_SSM: url,
  });
  store = ssmParameterStore();
});

afterAll(async () => {
  process.env = saved;
  await endpoint.stop();
});

const FOLDER = '/parameter-store-test';

test('a create writes the parameter once: a second create of the name is refused and changes nothing', async () => {
  expect(await store.create(`${FOLDER}/once/001-claim`, '{"claimId":"first"}')).toBe(true);
  expect(await store.create(`${FOLDER}/once/001-claim`, '{"claimId":"second"}')).toBe(false);
  const [only] = await store.list(`${FOLDER}/once`, false);
  expect(only).toMatchObject({ name: `${FOLDER}/once/001-claim`, value: '{"claimId":"first"}' });
  // Written just now, as the service's epoch-seconds timestamp reads in ms.
  expect(Math.abs(only.lastModified - Date.now())).toBeLessThan(5_000);
  const puts = endpoint.calls.filter((call) => call.operation === 'PutParameter');
  expect(puts.map((call) => call.input)).toContainEqual({
    Name: `${FOLDER}/once/001-claim`,
    Value: '{"claimId":"first"}',
    Type: 'String',
    Overwrite: false,
  });
});

test('any other refusal of a create is thrown, as the service names it', async () => {
  await expect(store.create('not a path', 'x')).rejects.toThrow(expect.objectContaining({ name: 'ValidationException' }) as Error);
});

test('a listing reads every page, of one folder or of its sub-folders too', async () => {
  const names = Array.from({ length: 23 }, (_, i) => `${FOLDER}/paged/${String(i).padStart(3, '0')}-claim`);
  for (const name of names) await store.create(name, 'x');
  await store.create(`${FOLDER}/paged/sub/001-started`, 'y');
  expect((await store.list(`${FOLDER}/paged`, false)).map((p) => p.name)).toEqual(names);
  expect((await store.list(`${FOLDER}/paged`, true)).map((p) => p.name)).toEqual([...names, `${FOLDER}/paged/sub/001-started`].sort());
  expect(await store.list(`${FOLDER}/empty`, true)).toEqual([]);
});

test('a removal deletes exactly the names it is given', async () => {
  await store.create(`${FOLDER}/removed/a`, 'x');
  await store.create(`${FOLDER}/removed/b`, 'x');
  await store.create(`${FOLDER}/removed/c`, 'x');
  await store.remove([`${FOLDER}/removed/a`, `${FOLDER}/removed/c`]);
  expect((await store.list(`${FOLDER}/removed`, false)).map((p) => p.name)).toEqual([`${FOLDER}/removed/b`]);
});
