/*
 * The IAM conditions that keep a role to the drills' own scratch resources, shared by the drill
 * function's role (drill-function.ts) and the provider's clean-up statements
 * (lib/provider/drill-cleanup-grants.ts). `prefixes` is every drill prefix of the stack.
 */
import { DRILL_RUN_ENDS_TAG_KEY, DRILL_TAG_KEY } from './drill-contract';

/** Only resources that carry a drill's tag with one of these prefixes. */
export function taggedAsADrill(prefixes: string[]): Record<string, unknown> {
  return { StringEquals: { [`aws:ResourceTag/${DRILL_TAG_KEY}`]: prefixes } };
}

/** Only requests that set a drill's tag to one of these prefixes. */
export function requestingADrillTag(prefixes: string[]): Record<string, unknown> {
  return { StringEquals: { [`aws:RequestTag/${DRILL_TAG_KEY}`]: prefixes } };
}

/** Only requests that set a drill's tag to one of these prefixes, and no tag but the drill's two. */
export function addingOnlyADrillsTags(prefixes: string[]): Record<string, unknown> {
  return {
    ...requestingADrillTag(prefixes),
    'ForAllValues:StringEquals': { 'aws:TagKeys': [DRILL_TAG_KEY, DRILL_RUN_ENDS_TAG_KEY] },
  };
}
