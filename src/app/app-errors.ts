import { OpenumError } from '../errors.js';

/** `Server.Http.Listen` is not loopback, there is no certificate, and `AllowPlainHttp` is false. */
export class PlainHttpRefusedError extends OpenumError {
  constructor(readonly listen: string) {
    super(
      'OPENUM_APP_PLAIN_HTTP_REFUSED',
      `Server.Http.Listen ${listen} is not a loopback address: configure Server.Http.TlsCertificate and TlsKey (HTTP Basic passwords would cross the network in clear), or set Server.Http.AllowPlainHttp: true`,
    );
  }
}
