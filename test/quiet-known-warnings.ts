/*
 * Warnings that are known noise on this project's machines, silenced by the exact variables their
 * sources read, for the tests and every process they start:
 *
 * - the AWS SDK's notice that it will need Node 22 (the handler runs on Lambda's nodejs24.x);
 * - jsii's banner that Node 20 is end-of-life (jsii-pacmak in the bindings test), and its
 *   support-policy notice, which would also look up a release document over the network.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION = '20';
process.env.JSII_SILENCE_SUPPORT_WARNING = '1';
