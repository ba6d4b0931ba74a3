import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { urlCarriesCredentials } from '../domain/git-access.js';
import type { CatalogFile } from './catalog-schema.js';
import { fromCatalog } from './catalog-paths.js';
import { describeFound, type ConfigProblem } from './config-error.js';

type ServiceEntry = CatalogFile['services'][string];

/** Build arguments are kept in the image's history: a name like these says a secret is on its way there. */
const CREDENTIAL_NAME = /pass(word|wd)?|secret|token|credential|api[-_]?key|private[-_]?key|auth/i;

/** The stages of a Dockerfile, by name (`FROM node:24 AS test`). */
export function dockerfileStages(text: string): string[] {
  return [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*\S+\s+AS\s+(\S+)\s*$/gim)].flatMap((match) =>
    match[1] ? [match[1].toLowerCase()] : [],
  );
}

/** A private repository's token comes from the environment, never from the URL. */
function gitUrlProblems(name: string, service: ServiceEntry): ConfigProblem[] {
  const url = service.source.git;
  if (url === undefined || !urlCarriesCredentials(url)) return [];
  return [
    {
      key: `services.${name}.source.git`,
      found: 'a URL with a user name or password in it (not shown here)',
      expected:
        "a URL without credentials; for a private repository, set GIT_TOKEN in the worker's environment",
    },
  ];
}

function buildArgProblems(name: string, service: ServiceEntry): ConfigProblem[] {
  return Object.keys(service.buildArgs)
    .filter((arg) => CREDENTIAL_NAME.test(arg))
    .map((arg) => ({
      key: `services.${name}.buildArgs.${arg}`,
      found: 'a build argument named like a credential',
      expected:
        "no credentials in build arguments: the image's history keeps them for anyone who can pull it",
    }));
}

/** A directory service's Dockerfile must have the stage its tests run in. */
function testTargetProblems(file: string, name: string, service: ServiceEntry): ConfigProblem[] {
  if (service.test.image !== undefined || service.source.path === undefined) return [];
  const dockerfile = join(fromCatalog(file, service.source.path), service.dockerfile);
  if (!existsSync(dockerfile)) return [];
  const target = service.test.target ?? 'test';
  if (dockerfileStages(readFileSync(dockerfile, 'utf8')).includes(target.toLowerCase())) return [];
  return [
    {
      key: `services.${name}.test.target`,
      found: `${describeFound(target)}, but ${dockerfile} has no stage FROM … AS ${target}`,
      expected:
        'a stage of the Dockerfile that holds the source and what the tests need, or test.image',
    },
  ];
}

/** What a service's entry must not carry (secrets) and must name (its test stage). */
export function serviceProblems(
  file: string,
  name: string,
  service: ServiceEntry,
): ConfigProblem[] {
  return [
    ...gitUrlProblems(name, service),
    ...buildArgProblems(name, service),
    ...testTargetProblems(file, name, service),
  ];
}
