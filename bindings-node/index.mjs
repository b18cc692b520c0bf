// The ESM entry: the same classes as `require('pigello')`.
import pigello from './index.js';

export const {
  Client,
  Sandbox,
  Page,
  APIPromise,
  Resource,
  InvitableResource,
  PigelloError,
  ValidationError,
  ValidationIssue,
  APIError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  InternalServerError,
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BulkWriteError,
  CassetteError,
  version,
} = pigello;

export default pigello;
