import { ArnFormat, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The Redshift Serverless resource types the library's policies name. */
export type RedshiftServerlessResource = 'snapshot' | 'namespace' | 'workgroup' | 'recoverypoint';

/**
 * A Redshift Serverless ARN in the account and region of `scope`'s stack: one resource by its id,
 * or, with '*', every resource of the type (their ARNs end in ids the service assigns, not names).
 */
export function redshiftServerlessArn(scope: IConstruct, resource: RedshiftServerlessResource, resourceName = '*'): string {
  return Stack.of(scope).formatArn({ service: 'redshift-serverless', resource, resourceName, arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
}
