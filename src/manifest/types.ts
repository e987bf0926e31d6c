/** What extraction knows about one image reference found in a rendered manifest. */

export type ContainerType = 'container' | 'initContainer' | 'ephemeralContainer' | 'other';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

export interface ContainerRef {
  /** Container name; for `other` image fields, the YAML path of the field. */
  name: string;
  type: ContainerType;
}

export interface ImageUse {
  /** The reference exactly as rendered; a non-string value is shown as JSON. */
  image: string;
  /** False when the field held a number, object, null or nothing at all. */
  isString: boolean;
  resource: ResourceRef;
  container: ContainerRef;
  /** `# Source:` template of the document, e.g. `demo/templates/deployment.yaml`; null when absent. */
  template: string | null;
  /** Value of the `helm.sh/hook` annotation, e.g. `test` or `pre-install,pre-upgrade`. */
  hook: string | null;
  /** Where the image scalar sits in the rendered stream (1-based), for --manifest input. */
  line: number | null;
  /** Path of the field inside its document, e.g. `spec.template.spec.containers[0].image`. */
  fieldPath: string;
  imagePullPolicy: string | null;
  /** Rule ids (or `all`) from `imageguard.io/ignore` on the resource or its pod template. */
  ignoredRules: string[];
}

/** One YAML document of a rendered stream. */
export interface ManifestDocument {
  /** The parsed object, or null for an empty/comment-only document. */
  object: unknown;
  template: string | null;
  /** 1-based line of the document start in the stream. */
  startLine: number;
  /** Resolves a path inside this document to the 1-based line of its node. */
  lineOf(path: readonly (string | number)[]): number | null;
}
