export interface TemplateRequest {
  release: string;
  chartPath: string;
  namespace: string;
  valuesFiles?: readonly string[];
  /** Set as strings (--set-string), so a tag such as 1.10 stays "1.10". */
  setStrings?: Readonly<Record<string, string>>;
}

/** The helm command line, as the pipeline needs it. */
export interface Helm {
  /** helm's version, e.g. v4.1.4 */
  version(): Promise<string>;
  /** The manifests a release would apply, rendered without a cluster. */
  template(request: TemplateRequest): Promise<string>;
}
