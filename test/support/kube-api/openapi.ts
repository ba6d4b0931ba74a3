import type { JsonObject } from './json.js';

/** What clients ask for in Accept. */
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What kube-openapi answers in Content-Type (an `@` would not parse as a media type). */
export const OPENAPI_V2_PROTOBUF_RESPONSE =
  'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/**
 * The double publishes an OpenAPI v2 document with no schemas. kubectl's validation (which helm
 * runs before install and upgrade) downloads /openapi/v2 as protobuf and fails without it; with no
 * schema for a kind it skips client-side checks, and the double validates on the server instead.
 * /openapi/v3 answers 404, as on a server without OpenAPI v3, and clients fall back to v2.
 */
export function openApiV2Json(kubernetesVersion: string): JsonObject {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: kubernetesVersion },
    paths: {},
    definitions: {},
  };
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

/** A length-delimited protobuf field (wire type 2). */
function field(number: number, payload: Uint8Array): number[] {
  return [...varint((number << 3) | 2), ...varint(payload.length), ...payload];
}

/** gnostic's openapi_v2.Document: swagger = 1, info = 2 (Info: title = 1, version = 2). */
export function openApiV2Protobuf(kubernetesVersion: string): Buffer {
  const text = (value: string): Uint8Array => Buffer.from(value, 'utf8');
  const info = Uint8Array.from([
    ...field(1, text('Kubernetes')),
    ...field(2, text(kubernetesVersion)),
  ]);
  return Buffer.from([...field(1, text('2.0')), ...field(2, info)]);
}
