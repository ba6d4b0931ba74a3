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

/**
 * Reads a docker progress stream to its end. The HTTP status is 200 even when the build or push
 * fails; the failure arrives as an `error` event, which this turns into a rejection.
 */
export function followDockerProgress(
  stream: NodeJS.ReadableStream,
  onEvent: (event: DockerProgressEvent) => void,
): Promise<DockerProgressEvent[]> {
  return new Promise((resolve, reject) => {
    const events: DockerProgressEvent[] = [];
    let buffer = '';
    let failure: string | undefined;
    const take = (line: string) => {
      if (line.trim() === '') return;
      let event: DockerProgressEvent;
      try {
        event = JSON.parse(line) as DockerProgressEvent;
      } catch {
        event = { stream: line };
      }
      events.push(event);
      if (event.error !== undefined) failure ??= event.errorDetail?.message ?? event.error;
      onEvent(event);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        take(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    });
    stream.on('error', reject);
    stream.on('end', () => {
      take(buffer);
      if (failure === undefined) resolve(events);
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
