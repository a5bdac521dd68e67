export * from './snapshot/snapshot';
export * from './schedule/schedule';
export * from './schedule/schedule-expression';
export * from './restore/restore';
export * from './restore/restore-source';
export * from './monitoring/missed-snapshot-alarm-props';
