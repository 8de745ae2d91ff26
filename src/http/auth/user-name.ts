import type { UnifiedMessagingBackend } from '../um-backend.js';

/** Finds the mailbox alias (as the directory spells it) a sign-in name means; undefined when none. */
export type FindUserByName = (name: string) => string | undefined;

/**
 * The sign-in names Exchange accepts, over the backend's directory: the alias, `DOMAIN\alias` (the domain
 * is not checked: openum has one directory), and an SMTP address of the mailbox (PrimarySmtpAddress or
 * another of its EmailAddresses). An address is never retried as an alias.
 */
export function userNameResolver(users: Pick<UnifiedMessagingBackend, 'findUserByAlias' | 'findUserByEmail'>): FindUserByName {
  return (name) => {
    const trimmed = name.trim();
    const withoutDomain = trimmed.slice(trimmed.lastIndexOf('\\') + 1);
    if (withoutDomain === '') return undefined;
    const user = withoutDomain.includes('@') ? users.findUserByEmail(withoutDomain) : users.findUserByAlias(withoutDomain);
    return user?.alias;
  };
}
