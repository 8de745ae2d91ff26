// Message-waiting indication (RFC 3842) and the notifier side of RFC 6665 subscriptions.
export { formatMessageSummary, parseMessageSummary, MESSAGE_SUMMARY_TYPE, type MessageSummaryCounts } from './message-summary-body.js';
export type { IncomingSubscription } from './incoming-subscription.js';
export type { SipSubscription, SipSubscriptionEvents, SubscriptionEndReason } from './notifier-dialog.js';
