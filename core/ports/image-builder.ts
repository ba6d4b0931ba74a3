export interface BuildRequest {
  /** The build context directory; its .dockerignore is honoured. */
  contextDir: string;
  /** Relative to contextDir. */
  dockerfile: string;
  /** The Dockerfile's text, sent as `dockerfile` in place of any file there (a generated one). */
  dockerfileContent?: string;
  /** The stage to build (`--target`); the last one when absent. */
  target?: string;
  /** Full references (repository:tag) the image gets. */
  tags: string[];
  buildArgs?: Record<string, string>;
  labels?: Record<string, string>;
  /** Docker's build network mode; `host` where there is no bridge network. */
  networkMode?: string;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

export interface PushRequest {
  /** repository:tag, as built. */
  reference: string;
  credentials?: { username: string; password: string };
  onLog?: (line: string) => void;
  signal?: AbortSignal;
}

/** Builds container images and pushes them to a registry. */
export interface ImageBuilder {
  build(request: BuildRequest): Promise<{ imageId: string }>;
  /** Resolves to the registry's content digest (sha256:...) of what was pushed. */
  push(request: PushRequest): Promise<{ digest: string }>;
  /** A digest (hex) of the build context `build` would send for this directory and Dockerfile. */
  contextDigest(contextDir: string, dockerfile: string): Promise<string>;
  /** Removes a tag made by `build` (its layers stay, as the build cache of later builds). */
  remove(reference: string): Promise<void>;
}
