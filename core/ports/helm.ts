export interface HelmTarget {
  namespace: string;
  kubeContext?: string;
}

export interface TemplateRequest {
  release: string;
  chartPath: string;
  namespace: string;
  valuesFiles?: string[];
  /** --set key=value pairs; values are set as strings. */
  set?: Record<string, string>;
}

/** The helm command line, as the pipeline needs it. */
export interface Helm {
  version(): Promise<string>;
  template(request: TemplateRequest): Promise<string>;
}
