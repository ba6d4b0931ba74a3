import { z } from 'zod';
import { refPatternProblem, refProblemText } from '../domain/git-ref.js';
import { DEFAULT_REF_PATTERNS } from '../domain/ref-policy.js';
import {
  environmentName,
  gitRef,
  serviceName,
  slackChannelId,
  slackUserGroupId,
  slackUserId,
} from '../domain/names.js';

const relativePath = z.string().min(1, 'a path (relative ones are read from the catalog file)');

const argumentList = z
  .array(z.string().min(1, 'a non-empty argument'))
  .min(1, 'a program and its arguments as a list, e.g. [npm, test]');

const registrySchema = z.strictObject({
  /** host[:port] of the registry, e.g. ghcr.io or 127.0.0.1:5000 */
  host: z
    .string()
    .regex(/^[a-zA-Z0-9.-]+(:\d{1,5})?$/, 'a registry host[:port], e.g. ghcr.io or 127.0.0.1:5000'),
  /** Path in the registry that every image name is put under, e.g. my-org */
  repositoryPrefix: z
    .string()
    .regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, 'a lower-case repository path such as my-org/apps')
    .optional(),
});

const deployersSchema = z
  .strictObject({
    users: z.array(slackUserId).default([]),
    userGroups: z.array(slackUserGroupId).default([]),
    everyone: z.boolean().default(false),
  })
  .refine((d) => d.everyone || d.users.length > 0 || d.userGroups.length > 0, {
    message: 'at least one of users, userGroups, or everyone: true (who may deploy here)',
  });

/** A glob over refs (core/domain/ref-policy.ts): `v*`, `release/*`, `refs/tags/v*`, `refs/pull/*`. */
const refPattern = z.string().check((context) => {
  const problem = refPatternProblem(context.value);
  if (problem === undefined) return;
  context.issues.push({
    code: 'custom',
    input: context.value,
    message: `a ref pattern such as v*, release/* or refs/tags/v*, where * stands for anything (${refProblemText(problem)})`,
  });
});

const environmentSchema = z.strictObject({
  namespace: environmentName,
  /** kubeconfig context; the kubeconfig's current context when absent */
  kubeContext: z.string().min(1).optional(),
  deployers: deployersSchema,
  /** The refs deployed here; every branch and tag when absent. */
  refs: z
    .array(refPattern)
    .min(1, 'at least one pattern, e.g. [v*] (leave refs out for every branch and tag)')
    .default([...DEFAULT_REF_PATTERNS]),
  /** Whether a full commit id may be deployed here. */
  allowCommits: z.boolean().default(false),
});

const sourceSchema = z
  .strictObject({
    /** A directory relative to the catalog file. */
    path: relativePath.optional(),
    /** A git URL to clone. */
    git: z
      .string()
      .regex(
        /^(https:\/\/|ssh:\/\/|git@|file:\/\/)[^\s]+$/,
        'a git URL (https://, ssh://, git@ or file://)',
      )
      .optional(),
    /** The ref deployed when the command names none. */
    defaultRef: gitRef.default('main'),
  })
  .refine((s) => (s.path === undefined) !== (s.git === undefined), {
    message: 'exactly one of path (a local directory) or git (a repository URL)',
  });

const testLimitsSchema = z.strictObject({
  memoryMiB: z.number().int().min(32, 'at least 32 (MiB)').default(2048),
  cpus: z.number().positive().max(64).default(1),
  pids: z.number().int().min(16, 'at least 16').default(512),
  tmpMiB: z.number().int().min(1).default(512),
});

/** An image reference as docker takes it: `node:24-slim`, `ghcr.io/acme/tools:1@sha256:...`. */
const imageReference = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._/:-]*(@sha256:[0-9a-f]{64})?$/,
    'an image reference such as node:24-slim or ghcr.io/acme/test-tools:1',
  );

const testSchema = z
  .strictObject({
    /** The Dockerfile stage the tests run in (`FROM … AS test`); `test` unless `image` is given. */
    target: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'the name of a stage of the Dockerfile, e.g. test')
      .optional(),
    /** Or an image to run them in, with the source copied to /workspace. */
    image: imageReference.optional(),
    /** With `image`: run before the tests, e.g. [npm, ci]. */
    install: argumentList.optional(),
    command: argumentList,
    timeoutSeconds: z.number().int().positive().default(600),
    network: z.enum(['default', 'none']).default('default'),
    env: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'),
        z.string(),
      )
      .default({}),
    limits: testLimitsSchema.default({ memoryMiB: 2048, cpus: 1, pids: 512, tmpMiB: 512 }),
  })
  .refine((test) => test.target === undefined || test.image === undefined, {
    message: 'one of target (a stage of the Dockerfile) or image, not both',
    path: ['image'],
  })
  .refine((test) => test.install === undefined || test.image !== undefined, {
    message:
      'no install with a Dockerfile target: its stage installs what the tests need (install goes with image)',
    path: ['install'],
  });

const serviceSchema = z.strictObject({
  source: sourceSchema,
  test: testSchema,
  /** Relative to the source directory. */
  dockerfile: relativePath.default('Dockerfile'),
  buildArgs: z.record(z.string(), z.string()).default({}),
  /** A chart directory relative to the catalog file. */
  chart: relativePath,
  /** Helm release name; the service name when absent. */
  release: serviceName.optional(),
  /** Values files per environment, relative to the catalog file. */
  values: z.record(z.string(), z.array(relativePath)).default({}),
});

const notificationsSchema = z.strictObject({
  failureChannel: slackChannelId,
  mention: z
    .strictObject({
      users: z.array(slackUserId).default([]),
      userGroups: z.array(slackUserGroupId).default([]),
    })
    .default({ users: [], userGroups: [] }),
});

export const catalogSchema = z.strictObject({
  registry: registrySchema,
  environments: z.record(environmentName, environmentSchema),
  services: z.record(serviceName, serviceSchema),
  notifications: notificationsSchema.optional(),
});

export type CatalogFile = z.infer<typeof catalogSchema>;
