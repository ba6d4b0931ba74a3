import type Docker from 'dockerode';
import { DeployError } from '../domain/deploy-error.js';
import { registryHostOf } from '../domain/image-reference.js';
import type { BuildRequest, ImageBuilder, PushRequest } from '../ports/image-builder.js';
import { contextDigest, packBuildContext } from './docker-build-context.js';
import { followDockerProgress, type DockerProgressEvent } from './docker-progress.js';

/** Docker reports a refused login only as text; these are the registry's and daemon's words for it. */
const AUTH_FAILURE = /unauthorized|authentication required|no basic auth credentials|denied/i;

function splitReference(reference: string): { repository: string; tag: string } {
  const slash = reference.lastIndexOf('/');
  const colon = reference.lastIndexOf(':');
  if (colon <= slash) return { repository: reference, tag: 'latest' };
  return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
}

/** Docker colours a build step's stderr with terminal escapes; logs and Slack want plain text. */
// eslint-disable-next-line no-control-regex
const TERMINAL_ESCAPES = /\u001b\[[0-9;]*m/g;

/** A line longer than this is cut before anyone sees it: logs and chat want lines, not megabytes. */
const MAX_LINE_CHARS = 4000;

function logLines(onLog: ((line: string) => void) | undefined) {
  return (event: DockerProgressEvent) => {
    if (!onLog) return;
    const text =
      event.stream ??
      (event.status ? [event.id, event.status].filter(Boolean).join(': ') : undefined);
    if (text === undefined) return;
    for (const line of text.replace(TERMINAL_ESCAPES, '').split('\n')) {
      if (line.trim() === '') continue;
      const trimmed = line.trimEnd();
      onLog(trimmed.length > MAX_LINE_CHARS ? `${trimmed.slice(0, MAX_LINE_CHARS)}…` : trimmed);
    }
  };
}

/** Builds with the Docker Engine API (dockerode) and pushes to any registry it can log in to. */
export class DockerodeImageBuilder implements ImageBuilder {
  constructor(private readonly docker: Docker) {}

  async build(request: BuildRequest): Promise<{ imageId: string }> {
    const [firstTag] = request.tags;
    if (firstTag === undefined) throw new Error('an image build needs at least one tag');
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.buildImage(
        packBuildContext(request.contextDir, request.dockerfile, request.dockerfileContent),
        {
          t: request.tags as unknown as string,
          dockerfile: request.dockerfile,
          ...(request.target === undefined ? {} : { target: request.target }),
          buildargs: request.buildArgs ?? {},
          labels: request.labels ?? {},
          forcerm: true,
          ...(request.networkMode ? { networkmode: request.networkMode } : {}),
          ...(request.signal ? { abortSignal: request.signal } : {}),
        },
      );
      // Never an auth config: a build's steps run the service's own code, and a registry login
      // in its reach would be theirs. Logging in is for the push alone.
      const { imageId } = await followDockerProgress(stream, logLines(request.onLog));
      if (imageId) return { imageId };
      return { imageId: (await this.docker.getImage(firstTag).inspect()).Id };
    } catch (error) {
      throw new DeployError('BUILD_FAILED', `docker build failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  contextDigest(contextDir: string, dockerfile: string): Promise<string> {
    return Promise.resolve(contextDigest(contextDir, dockerfile));
  }

  async push(request: PushRequest): Promise<{ digest: string }> {
    const { tag } = splitReference(request.reference);
    const authconfig = request.credentials
      ? { ...request.credentials, serveraddress: registryHostOf(request.reference) }
      : undefined;
    try {
      const stream = await this.docker.getImage(request.reference).push({
        tag,
        ...(authconfig ? { authconfig } : {}),
        ...(request.signal ? { abortSignal: request.signal } : {}),
      });
      const { digest } = await followDockerProgress(stream, logLines(request.onLog));
      if (!digest) throw new Error('the registry accepted the push but reported no digest');
      return { digest };
    } catch (error) {
      const message = (error as Error).message;
      if (AUTH_FAILURE.test(message)) {
        throw new DeployError(
          'REGISTRY_AUTH',
          `the registry ${registryHostOf(request.reference)} refused the push: ${message}. Check REGISTRY_USERNAME and REGISTRY_PASSWORD.`,
          { cause: error },
        );
      }
      throw new DeployError('PUSH_FAILED', `docker push failed: ${message}`, { cause: error });
    }
  }

  async remove(reference: string): Promise<void> {
    try {
      // noprune: the untagged layers under it are the cache the service's own build reuses.
      await this.docker.getImage(reference).remove({ noprune: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
}
