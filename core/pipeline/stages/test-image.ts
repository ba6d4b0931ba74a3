import { createHash } from 'node:crypto';
import { SANDBOX_WORKSPACE } from '../../domain/test-gate.js';
import type { BuildRequest, ImageBuilder } from '../../ports/image-builder.js';
import type { SourceTree, StageContext } from '../stage.js';

export interface TestImageOptions {
  builder: ImageBuilder;
  /** Docker's build network mode; `host` where the engine has no bridge network. */
  buildNetworkMode?: string;
}

/** The Dockerfile made for an image the catalog names: sent with the context, never written to it. */
export const GENERATED_DOCKERFILE = '.harbormaster-test.Dockerfile';

/** The source copied in, then the install (an argument list: Docker's exec form, no shell). */
export function generatedDockerfile(image: string, install: readonly string[] | undefined): string {
  return [
    `FROM ${image}`,
    `WORKDIR ${SANDBOX_WORKSPACE}`,
    `COPY . ${SANDBOX_WORKSPACE}`,
    ...(install ? [`RUN ${JSON.stringify(install)}`] : []),
    '',
  ].join('\n');
}

/** A tag of this deploy's own: two deploys, or a resumed one, never share a test image. */
export function testImageTag(
  context: Pick<StageContext, 'request' | 'workDir' | 'service'>,
): string {
  const digest = createHash('sha256')
    .update(`${context.request.id}\n${context.workDir}`)
    .digest('hex')
    .slice(0, 20);
  return `harbormaster-test/${context.service.name}:${digest}`;
}

/**
 * The image the tests run in, built like the service's own image (the same builder, no
 * credentials, the build's network unless the catalog says `network: none`): its Dockerfile's
 * test stage, or the catalog's image with the source copied in.
 */
export async function buildTestImage(
  options: TestImageOptions,
  context: StageContext,
  source: SourceTree,
  signal: AbortSignal,
): Promise<string> {
  const { service, request } = context;
  const gate = service.test;
  const tag = testImageTag(context);
  const networkMode = gate.network === 'none' ? 'none' : options.buildNetworkMode;
  const common: BuildRequest = {
    contextDir: source.dir,
    dockerfile: service.dockerfile,
    tags: [tag],
    buildArgs: { REVISION: source.commit, VERSION: request.ref, ...service.buildArgs },
    labels: { 'dev.harbormaster.service': service.name, 'dev.harbormaster.test-image': 'true' },
    ...(networkMode === undefined ? {} : { networkMode }),
    onLog: context.log,
    signal,
  };
  const { runsIn } = gate;
  await options.builder.build(
    runsIn.kind === 'target'
      ? { ...common, target: runsIn.target }
      : {
          ...common,
          dockerfile: GENERATED_DOCKERFILE,
          dockerfileContent: generatedDockerfile(runsIn.image, gate.install),
        },
  );
  return tag;
}
