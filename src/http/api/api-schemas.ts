import { z } from 'zod';
import { ApiError } from './api-errors.js';

/** Largest page of `GET /messages`. */
export const MAX_MESSAGES_LIMIT = 500;
/** Page size of `GET /messages` without `limit`. */
export const DEFAULT_MESSAGES_LIMIT = 50;

/** Query of `GET /messages`. */
export const ListMessagesQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_MESSAGES_LIMIT).default(DEFAULT_MESSAGES_LIMIT),
});

/** Body of `POST /play-on-phone`. */
export const PlayOnPhoneBody = z.object({
  messageId: z.string().trim().min(1).max(200),
  dialString: z.string().trim().min(1).max(256),
});

/** Body of `POST /check-dial`. */
export const CheckDialBody = z.object({
  dialString: z.string().trim().min(1).max(256),
});

/** Parses with a schema or throws a 400 {@link ApiError} naming each problem. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`).join('; ');
  throw new ApiError(400, 'bad-request', `Invalid ${what}: ${problems}`, { cause: result.error });
}
