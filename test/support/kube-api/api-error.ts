import type { JsonObject } from './json.js';

/** The `reason` values of metav1.StatusReason that the double answers with. */
export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'Timeout'
  | 'InternalError';

export interface StatusCause extends JsonObject {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails extends JsonObject {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** metav1.Status as the API server writes it for failures and some successes. */
export interface StatusBody extends JsonObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: JsonObject;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** A failure that the HTTP layer turns into a Status body with the same code. */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly details: StatusDetails | undefined;

  constructor(code: number, reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** Identifies a resource in messages: `deployments.apps "web"`, `pods "web-1"`. */
export interface QualifiedResource {
  group: string;
  plural: string;
  kind: string;
}

/** Status details omit an empty group, as the Go struct's omitempty does. */
export function groupOf(group: string): { group?: string } {
  return group === '' ? {} : { group };
}

function qualified(resource: QualifiedResource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

export function notFound(resource: QualifiedResource, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(resource)} "${name}" not found`, {
    name,
    ...groupOf(resource.group),
    kind: resource.plural,
  });
}

export function alreadyExists(resource: QualifiedResource, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(resource)} "${name}" already exists`, {
    name,
    ...groupOf(resource.group),
    kind: resource.plural,
  });
}

export function conflict(
  resource: QualifiedResource,
  name: string,
  why: string,
  causes?: StatusCause[],
): ApiError {
  const details: StatusDetails = { name, ...groupOf(resource.group), kind: resource.plural };
  if (causes !== undefined) details.causes = causes;
  return new ApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource)} "${name}": ${why}`,
    details,
  );
}

export const STALE_OBJECT_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export interface FieldError {
  /** A metav1.CauseType such as FieldValueRequired or FieldValueInvalid. */
  type:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden';
  field: string;
  detail: string;
}

/** 422 with one cause per field, worded as field.ErrorList.ToAggregate() words it. */
export function invalid(
  resource: QualifiedResource,
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const texts = errors.map((error) => `${error.field}: ${error.detail}`);
  const joined = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
  return new ApiError(
    422,
    'Invalid',
    `${resource.kind}${resource.group === '' ? '' : `.${resource.group}`} "${name}" is invalid: ${joined}`,
    {
      name,
      ...groupOf(resource.group),
      kind: resource.kind,
      causes: errors.map((error) => ({
        reason: error.type,
        message: error.detail,
        field: error.field,
      })),
    },
  );
}

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function methodNotAllowed(method: string, what: string): ApiError {
  return new ApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method} ${what})`,
  );
}

export function routeNotFound(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

export function expired(message: string): ApiError {
  return new ApiError(410, 'Expired', message);
}
