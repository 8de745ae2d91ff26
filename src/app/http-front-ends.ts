import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { PlayOnPhoneService } from '../calls/index.js';
import type { OpenumConfiguration } from '../config/index.js';
import { authorizeSubjectDial } from '../directory/index.js';
import type { Directory } from '../directory/index.js';
import { HttpAuthenticator, registerAuthenticationThrottle, registerAutodiscover, registerEws, registerJsonApi, userNameResolver } from '../http/index.js';
import type { MailboxService, MessageStore } from '../mailbox/index.js';
import type { OpenumServer } from './server.js';
import { ReadMarker } from './read-marker.js';
import { UmBackendAdapter } from './um-backend-adapter.js';

/** What the HTTP front ends are built from. */
export interface HttpFrontEndsOptions {
  configuration: OpenumConfiguration;
  directory: Directory;
  store: MessageStore;
  mailboxes: MailboxService;
  logger: Logger;
  /** Told when a mailbox's counts changed (MWI). */
  onMailboxChanged: (alias: string) => void;
}

/** What was built (the node closes the Play on Phone service). */
export interface HttpFrontEnds {
  playOnPhone: PlayOnPhoneService;
  /** Pending read marks; flush before the store closes. */
  readMarker: ReadMarker;
  backend: UmBackendAdapter;
}

/**
 * Builds Play on Phone on the server's SIP endpoint and media, the backend the HTTP protocols share,
 * the authenticator over the mailbox credentials, and registers EWS, Autodiscover and the JSON API
 * (spec §8) on the node's HTTP endpoint, behind one authentication-failure throttle.
 */
export function registerHttpFrontEnds(app: FastifyInstance, server: OpenumServer, options: HttpFrontEndsOptions): HttpFrontEnds {
  const { configuration, directory } = options;
  const settings = configuration.Server.PlayOnPhone;
  const outbound = server.outbound;
  const readMarker = new ReadMarker(options.store, options.onMailboxChanged, options.logger);
  const playOnPhone = new PlayOnPhoneService({
    directory,
    sip: outbound.sip,
    media: outbound.media,
    calls: outbound.calls,
    messages: options.mailboxes,
    logger: options.logger.child({ module: 'play-on-phone' }),
    noAnswerTimeoutMs: settings.NoAnswerTimeout * 1000,
    retentionMs: settings.CallInformationRetention * 1000,
    // Heard to the end on the phone: read, as when opened in Outlook; the lamp follows.
    onMessagePlayed: (message) => readMarker.mark(message),
  });
  const listen = (): { host: string; port: number } => {
    const [, host = '127.0.0.1'] = /^\[?(.*?)\]?:\d+$/.exec(configuration.Server.Http.Listen) ?? [];
    return { host, port: server.httpPort };
  };
  const backend = new UmBackendAdapter({ configuration, directory, mailboxes: options.mailboxes, playOnPhone, publicBaseUrl: () => server.httpBaseUrl(listen()) });
  const authenticator = new HttpAuthenticator({ credentials: options.store.credentials, findUserByName: userNameResolver(backend) });
  const authenticate = authenticator.authenticate;
  registerAuthenticationThrottle(app, authenticator);
  registerEws(app, { backend, authenticate });
  registerAutodiscover(app, { backend, authenticate });
  registerJsonApi(app, {
    backend,
    authenticate,
    checkDial: (alias, dialString) => authorizeSubjectDial(directory, directory.dialSubject('play-on-phone', alias), dialString),
  });
  return { playOnPhone, backend, readMarker };
}
