export * from './snapshot/snapshot';
export * from './schedule/schedule';
export * from './schedule/schedule-expression';
