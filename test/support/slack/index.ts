export {
  startSlackDouble,
  SlackDouble,
  type SlackDoubleOptions,
  type WaitOptions,
} from './slack-double.js';
export { ManualClock, systemClock, type Clock } from './clock.js';
export type {
  AddChannelInput,
  AddUserGroupInput,
  AddUserInput,
  BotIdentity,
  SlackChannel,
  SlackUser,
  SlackUserGroup,
  TeamIdentity,
} from './directory.js';
export {
  SlackInboundClient,
  ACK_TIMEOUT_MS,
  type ClickButtonInput,
  type DeliveryOptions,
  type InboundClientOptions,
  type InboundResponse,
  type InteractionResult,
  type SlashCommandInput,
} from './inbound-client.js';
export {
  slackSignature,
  signingHeaders,
  STALE_OFFSET_SECONDS,
  type SigningOptions,
} from './inbound-signer.js';
export type {
  RateLimitOff,
  RateLimitRule,
  RateLimitSetting,
  RateLimitedCall,
} from './rate-limiter.js';
export {
  slackRateLimits,
  POST_MESSAGE_BURST,
  POST_MESSAGE_WORKSPACE_PER_MINUTE,
  TIER_2,
  TIER_3,
  TIER_4,
} from './rate-tiers.js';
export { manifestBotScopes, APP_TOKEN_SCOPES, type TokenKind } from './tokens.js';
export {
  SLOW_ANSWER_MS,
  type InjectedFailure,
  type Injection,
  type InjectionInput,
} from './failure-injection.js';
export {
  MAX_CONNECTIONS,
  SocketModeServer,
  type DisconnectReason,
  type RefusedConnection,
  type SocketConnection,
} from './socket-mode/socket-server.js';
export {
  UNACKED_RETRY_REASON,
  type EnvelopeRecord,
  type EnvelopeType,
} from './socket-mode/envelopes.js';
export {
  RESPONSE_URL_LIFETIME_MS,
  RESPONSE_URL_MAX_USES,
  type ResponseUrlRecord,
} from './response-url.js';
export { LIMITS, checkBlocks, checkMessage, type BlockIssue } from './block-kit/limits.js';
export { renderBlocks, renderContent, type NameLookup } from './block-kit/render.js';
export { renderMrkdwn } from './block-kit/mrkdwn.js';
export type {
  ChannelTranscript,
  EphemeralView,
  MessageView,
  VersionView,
} from './transcript-view.js';
export type { SharedFile, MessageOrigin } from './transcript-store.js';
export type { ApiCall } from './web-api-double.js';
export type { UnhandledRequest, UploadedFile } from './workspace.js';
