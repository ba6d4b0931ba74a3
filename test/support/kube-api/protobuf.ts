import { ApiError, badRequest } from './api-error.js';
import type { JsonObject, JsonValue } from './json.js';

/**
 * Kubernetes' protobuf encoding, for request bodies. client-go's typed clients (helm stores its
 * releases in Secrets through one) write protobuf: the 4-byte magic `k8s\0`, then a
 * runtime.Unknown envelope holding the object's own message. The double decodes the kinds listed
 * in MESSAGES to JSON; any other kind is a loud 415.
 */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Scalar = 'string' | 'bytes' | 'int' | 'bool' | 'time';
type FieldType = Scalar | { message: MessageSpec } | { map: 'string' | 'bytes' };
interface FieldSpec {
  name: string;
  type: FieldType;
  repeated?: boolean;
}
type MessageSpec = Readonly<Partial<Record<number, FieldSpec>>>;

const OWNER_REFERENCE: MessageSpec = {
  1: { name: 'kind', type: 'string' },
  3: { name: 'name', type: 'string' },
  4: { name: 'uid', type: 'string' },
  5: { name: 'apiVersion', type: 'string' },
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

/** k8s.io/apimachinery/pkg/apis/meta/v1 ObjectMeta (managedFields are not decoded). */
const OBJECT_META: MessageSpec = {
  1: { name: 'name', type: 'string' },
  2: { name: 'generateName', type: 'string' },
  3: { name: 'namespace', type: 'string' },
  5: { name: 'uid', type: 'string' },
  6: { name: 'resourceVersion', type: 'string' },
  7: { name: 'generation', type: 'int' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int' },
  11: { name: 'labels', type: { map: 'string' } },
  12: { name: 'annotations', type: { map: 'string' } },
  13: { name: 'ownerReferences', type: { message: OWNER_REFERENCE }, repeated: true },
  14: { name: 'finalizers', type: 'string', repeated: true },
};

const MESSAGES: Readonly<Partial<Record<string, MessageSpec>>> = {
  'v1/Secret': {
    1: { name: 'metadata', type: { message: OBJECT_META } },
    2: { name: 'data', type: { map: 'bytes' } },
    3: { name: 'type', type: 'string' },
    4: { name: 'stringData', type: { map: 'string' } },
    5: { name: 'immutable', type: 'bool' },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', type: { message: OBJECT_META } },
    2: { name: 'data', type: { map: 'string' } },
    3: { name: 'binaryData', type: { map: 'bytes' } },
    4: { name: 'immutable', type: 'bool' },
  },
  DeleteOptions: {
    1: { name: 'gracePeriodSeconds', type: 'int' },
    2: {
      name: 'preconditions',
      type: {
        message: {
          1: { name: 'uid', type: 'string' },
          2: { name: 'resourceVersion', type: 'string' },
        },
      },
    },
    3: { name: 'orphanDependents', type: 'bool' },
    4: { name: 'propagationPolicy', type: 'string' },
    5: { name: 'dryRun', type: 'string', repeated: true },
  },
};

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  get done(): boolean {
    return this.offset >= this.buffer.length;
  }

  varint(): number {
    let result = 0;
    let factor = 1;
    for (;;) {
      if (this.offset >= this.buffer.length) throw badRequest('protobuf: truncated varint');
      const byte = this.buffer[this.offset] ?? 0;
      this.offset += 1;
      result += (byte & 0x7f) * factor;
      if ((byte & 0x80) === 0) return result;
      factor *= 128;
    }
  }

  bytes(): Buffer {
    const length = this.varint();
    if (this.offset + length > this.buffer.length) throw badRequest('protobuf: truncated field');
    const slice = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 2) this.bytes();
    else if (wireType === 1) this.offset += 8;
    else if (wireType === 5) this.offset += 4;
    else throw badRequest(`protobuf: unsupported wire type ${wireType}`);
  }
}

function decodeTime(buffer: Buffer): string {
  const reader = new Reader(buffer);
  let seconds = 0;
  while (!reader.done) {
    const tag = reader.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 0) seconds = reader.varint();
    else reader.skip(tag & 7);
  }
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeMapEntry(buffer: Buffer, valueType: 'string' | 'bytes'): [string, string] {
  const reader = new Reader(buffer);
  let key = '';
  let value = '';
  while (!reader.done) {
    const tag = reader.varint();
    const number = tag >>> 3;
    if ((tag & 7) !== 2) {
      reader.skip(tag & 7);
      continue;
    }
    const bytes = reader.bytes();
    if (number === 1) key = bytes.toString('utf8');
    else if (number === 2)
      value = valueType === 'bytes' ? bytes.toString('base64') : bytes.toString('utf8');
  }
  return [key, value];
}

function decodeMessage(buffer: Buffer, spec: MessageSpec): JsonObject {
  const reader = new Reader(buffer);
  const result: JsonObject = {};
  while (!reader.done) {
    const tag = reader.varint();
    const number = tag >>> 3;
    const wireType = tag & 7;
    const field = spec[number];
    if (field === undefined) {
      reader.skip(wireType);
      continue;
    }
    let value: JsonValue;
    const { type } = field;
    if (type === 'int') value = reader.varint();
    else if (type === 'bool') value = reader.varint() !== 0;
    else if (type === 'string') value = reader.bytes().toString('utf8');
    else if (type === 'bytes') value = reader.bytes().toString('base64');
    else if (type === 'time') value = decodeTime(reader.bytes());
    else if ('map' in type) {
      const [key, entry] = decodeMapEntry(reader.bytes(), type.map);
      const map = (result[field.name] ?? {}) as JsonObject;
      map[key] = entry;
      result[field.name] = map;
      continue;
    } else value = decodeMessage(reader.bytes(), type.message);
    if (field.repeated === true) {
      const list = (result[field.name] ?? []) as JsonValue[];
      list.push(value);
      result[field.name] = list;
    } else {
      result[field.name] = value;
    }
  }
  return result;
}

/** Decodes a protobuf request body to the JSON the API server would have read. */
export function decodeKubernetesProtobuf(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw badRequest(
      'provided object is not a protobuf-encoded Kubernetes object (no k8s magic prefix)',
    );
  const envelope = decodeMessage(body.subarray(4), {
    1: {
      name: 'typeMeta',
      type: {
        message: { 1: { name: 'apiVersion', type: 'string' }, 2: { name: 'kind', type: 'string' } },
      },
    },
    2: { name: 'raw', type: 'bytes' },
  });
  const typeMeta = (envelope.typeMeta ?? {}) as JsonObject;
  const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  const spec = MESSAGES[`${apiVersion}/${kind}`] ?? MESSAGES[kind];
  if (spec === undefined) {
    throw new ApiError(
      415,
      'UnsupportedMediaType',
      `the kube-api double cannot decode protobuf for ${apiVersion} ${kind}; send JSON`,
    );
  }
  const raw = Buffer.from(typeof envelope.raw === 'string' ? envelope.raw : '', 'base64');
  const decoded = decodeMessage(raw, spec);
  return { apiVersion, kind, ...decoded };
}
