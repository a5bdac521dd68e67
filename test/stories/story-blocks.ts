/*
 * Which TypeScript examples of which page the story tests deploy (0-based, in page order), so
 * that test/readme-examples.test.ts can check that every example claiming an outcome runs its
 * story: an example not listed here must say `syntax-only` on its fence. pageStack refuses a
 * block not listed, so the list covers every story.
 */
export const STORY_BLOCKS: Readonly<Record<string, readonly number[]>> = {
  // The snapshot, the schedule and the refresh: readme.story.test.ts.
  'README.md': [0, 1, 2, 3],
  // Disaster recovery, the refresh, the snapshot before a migration, and undoing it: restore-guide.story.test.ts.
  'docs/restore.md': [0, 1, 2, 3],
  // The missed-snapshot alarm's rule counts a nightly snapshot; onRestoreEvent hears the refresh: monitoring.story.test.ts.
  'docs/monitoring.md': [0, 1],
  'docs/schedules.md': [0],
  // The weekly drill of the README and of its guide: drill.story.test.ts.
  'docs/drills.md': [0],
  'docs/sharing.md': [0],
  'docs/snapshot-lifecycle.md': [0],
};
