/*
 * CloudFormation's DescribeStacks, as much of it as the handler asks: the status of one stack by
 * its id. The handler reads it only to tell a rollback from an ordinary update. CloudFormation
 * speaks the AWS query protocol: a form-encoded POST answered in XML.
 */
import { ServiceError } from './model';

export class StackStatuses {
  private readonly statuses = new Map<string, string>();
  private readonly tags = new Map<string, [string, string][]>();

  set(stackId: string, status: string): void {
    this.statuses.set(stackId, status);
  }

  /** The stack's tags, as CreateStack and UpdateStack set them (`Tags.member.N.Key` / `.Value`). */
  setTags(stackId: string, form: URLSearchParams): void {
    const tags: [string, string][] = [];
    for (let n = 1; form.has(`Tags.member.${n}.Key`); n++)
      tags.push([form.get(`Tags.member.${n}.Key`)!, form.get(`Tags.member.${n}.Value`) ?? '']);
    // UpdateStack without Tags leaves them as they are (CloudFormation's published rule).
    if (tags.length > 0 || !this.tags.has(stackId)) this.tags.set(stackId, tags);
  }

  get(stackId: string): string | undefined {
    return this.statuses.get(stackId);
  }

  /**
   * Answers a DescribeStacks request body with the XML CloudFormation would send: the stack named
   * (by id or name), or without a name every stack not deleted.
   */
  describeStacks(form: URLSearchParams): string {
    const asked = form.get('StackName');
    if (asked !== null && !this.statuses.has(asked)) throw new ServiceError('ValidationError', `Stack with id ${asked} does not exist`);
    const listed = asked !== null ? [asked] : [...this.statuses].filter(([, status]) => status !== 'DELETE_COMPLETE').map(([id]) => id);
    const members = listed.map((stackId) => {
      const name = /:stack\/([^/]+)\//.exec(stackId)?.[1] ?? stackId;
      return (
        `<member><StackName>${escape(name)}</StackName><StackId>${escape(stackId)}</StackId>` +
        `<StackStatus>${escape(this.statuses.get(stackId) ?? '')}</StackStatus><CreationTime>${new Date(0).toISOString()}</CreationTime>` +
        `<Tags>${(this.tags.get(stackId) ?? []).map(([key, value]) => `<member><Key>${escape(key)}</Key><Value>${escape(value)}</Value></member>`).join('')}</Tags></member>`
      );
    });
    return (
      '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks>' +
      members.join('') +
      '</Stacks></DescribeStacksResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></DescribeStacksResponse>'
    );
  }
}

/** The query protocol's error body. */
export function queryError(error: ServiceError): string {
  return (
    `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>${escape(error.type)}</Code>` +
    `<Message>${escape(error.message)}</Message></Error><RequestId>local</RequestId></ErrorResponse>`
  );
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
