export * from './snapshot/snapshot';
