/** Registry credentials, as the catalog's registry has them. */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** The registry's own API (distribution v2): what is there, and taking it away. */
export interface ImageRegistry {
  /** The content digest (`sha256:…`) of `repository:tag`, or undefined when there is none. */
  manifestDigest(reference: string, credentials?: RegistryCredentials): Promise<string | undefined>;
  /** Deletes the manifest `digest` of `repository` (every tag on it goes with it). */
  deleteManifest(
    repository: string,
    digest: string,
    credentials?: RegistryCredentials,
  ): Promise<void>;
}
