import type { LoggerFactory, Transport, URI, UserAgentCoreConfiguration } from 'sip.js/lib/core/index.js';

/**
 * Decides, synchronously, whether openum serves the target of a Request-URI (a mailbox, a subscriber
 * access or auto attendant pilot, …). `false` makes the core answer 404.
 */
export type TargetResolver = (requestUri: URI) => boolean;

/** Inputs of {@link createCoreConfiguration}. */
export interface CoreConfigurationOptions {
  /** Our Contact URI on this transport. */
  contactUri: URI;
  /** Via sent-by (`host:port`). */
  viaHost: string;
  /** SIP.js logger factory. */
  loggerFactory: LoggerFactory;
  /** User-Agent / Server header value. */
  userAgent: string | undefined;
  /** Option tags we support (Supported header). */
  supportedOptionTags: readonly string[];
  /** The core's transport. */
  transport: Transport;
  /** Request-URI of the request the core is handling right now, if any. */
  currentRequestUri: () => URI | undefined;
  /** Whether a Request-URI names something openum serves. */
  resolveTarget: TargetResolver;
}

/**
 * A `UserAgentCoreConfiguration` whose `aor` is a getter: while the core handles a request whose
 * Request-URI the resolver accepts, `aor` IS that URI, so the core's Request-URI check
 * (user-agent-core.ts ~477-494, which 404s any user other than `aor.user` or the Contact user) lets one
 * core serve every mailbox and pilot. Otherwise `aor` is the Contact URI, and the core's 404 means
 * "no such target". This relies on the core reading `aor` synchronously and only there; a unit test
 * (core-configuration.test.ts) fails if a SIP.js upgrade changes that.
 */
export function createCoreConfiguration(options: CoreConfigurationOptions): UserAgentCoreConfiguration {
  const contactUri = options.contactUri;
  const configuration: UserAgentCoreConfiguration = {
    get aor(): URI {
      const uri = options.currentRequestUri();
      // Falls back to the (possibly re-bound) Contact, whose user the core accepts anyway.
      return uri !== undefined && options.resolveTarget(uri) ? uri : configuration.contact.uri;
    },
    contact: {
      pubGruu: undefined,
      tempGruu: undefined,
      uri: contactUri,
      toString: () => `<${contactUri.toString()}>`,
    },
    displayName: '',
    loggerFactory: options.loggerFactory,
    hackViaTcp: false,
    routeSet: [],
    sipjsId: Math.random().toString(36).slice(2, 7),
    supportedOptionTags: [...options.supportedOptionTags],
    supportedOptionTagsResponse: [...options.supportedOptionTags],
    userAgentHeaderFieldValue: options.userAgent,
    viaForceRport: true,
    viaHost: options.viaHost,
    authenticationFactory: () => undefined,
    transportAccessor: () => options.transport,
  };
  return configuration;
}
