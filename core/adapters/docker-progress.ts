import { LineSplitter } from './line-splitter.js';

/** One JSON object of the streams docker's build and push endpoints answer with. */
export interface DockerProgressEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Tag?: string; Digest?: string; Size?: number };
}

/** What is kept of a whole stream: never its events, which a chatty build makes gigabytes of. */
export interface DockerProgressSummary {
  /** The image built (`aux.ID`). */
  imageId?: string;
  /** The digest pushed (`aux.Digest`). */
  digest?: string;
}

/** Longer than this, an event is cut: the daemon writes small ones, so only a runaway line is. */
const MAX_EVENT_CHARS = 64 * 1024;

function parse(line: string): DockerProgressEvent {
  try {
    return JSON.parse(line) as DockerProgressEvent;
  } catch {
    return { stream: line };
  }
}

/**
 * Reads a docker progress stream to its end, handing each event on as it comes and keeping only
 * the image id, the digest and the first error. The HTTP status is 200 even when the build or
 * push fails; the failure arrives as an `error` event, which this turns into a rejection.
 */
export function followDockerProgress(
  stream: NodeJS.ReadableStream,
  onEvent: (event: DockerProgressEvent) => void,
): Promise<DockerProgressSummary> {
  return new Promise((resolve, reject) => {
    const summary: DockerProgressSummary = {};
    let failure: string | undefined;
    const splitter = new LineSplitter(MAX_EVENT_CHARS, (line) => {
      if (line.trim() === '') return;
      const event = parse(line);
      if (event.error !== undefined) failure ??= event.errorDetail?.message ?? event.error;
      if (event.aux?.ID) summary.imageId ??= event.aux.ID;
      if (event.aux?.Digest) summary.digest ??= event.aux.Digest;
      onEvent(event);
    });
    stream.on('data', (chunk: Buffer | string) => {
      splitter.write(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => {
      splitter.end();
      if (failure === undefined) resolve(summary);
      else reject(new DockerStreamError(failure));
    });
  });
}

export class DockerStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerStreamError';
  }
}
