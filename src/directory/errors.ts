import { OpenumError } from '../errors.js';

/** A name given on the command line or in a request does not identify a configured object. */
export class DirectoryLookupError extends OpenumError {
  constructor(kind: string, name: string) {
    super('OPENUM_DIRECTORY_NOT_FOUND', `no ${kind} named "${name}"`);
  }
}
