/** Small shared wordings and projections for release reports and verdict messages. */
import type { ContainerRef, ResourceRef } from '../manifest/types.js';
import { referenceName, referenceParts } from '../image/reference.js';
import type { ClassifiedUse } from '../rules/types.js';
import type { ImageSide } from './types.js';

export function imageSide(use: ClassifiedUse): ImageSide {
  const ref = use.reference;
  return {
    image: use.image,
    class: use.class,
    reference: referenceParts(ref),
    imagePullPolicy: use.imagePullPolicy,
    hook: use.hook,
    template: use.template,
  };
}

/**
 * What the runtime pulls: name@digest when pinned (the tag is then ignored), else name:tag with a missing tag read
 * as `latest`. `nginx`, `nginx:latest` and `docker.io/library/nginx:latest` are the same image.
 */
export function runtimeReference(use: ClassifiedUse): string {
  const ref = use.reference;
  if (!ref) return `invalid:${use.image}`;
  const name = referenceName(ref);
  return ref.digest ? `${name}@${ref.digest}` : `${name}:${ref.tag ?? 'latest'}`;
}

export function sameImage(a: ClassifiedUse, b: ClassifiedUse): boolean {
  return runtimeReference(a) === runtimeReference(b);
}

/** `Deployment/x-web`, with the namespace when asked (`prod/Deployment/x-web` reads badly: `Deployment prod/x-web`). */
export function resourceLabel(resource: ResourceRef): string {
  return `${resource.kind || '(no kind)'}/${resource.name || '(no name)'}`;
}

const CONTAINER_WORDS: Record<ContainerRef['type'], string> = {
  container: 'container',
  initContainer: 'init container',
  ephemeralContainer: 'ephemeral container',
  other: 'image field',
};

/** `container web (Deployment/x-web)`, `init container setup (Job/x-migrate, hook pre-upgrade)`. */
export function containerLabel(resource: ResourceRef, container: ContainerRef, hook: string | null): string {
  const where = hook ? `${resourceLabel(resource)}, hook ${hook}` : resourceLabel(resource);
  return `${CONTAINER_WORDS[container.type]} ${container.name} (${where})`;
}

/** Short `container web` for table cells. */
export function containerCell(container: ContainerRef): string {
  return container.type === 'container' ? container.name : `${container.name} (${CONTAINER_WORDS[container.type]})`;
}

/** Why an image moves, for messages: `the moving tag "latest"`, `no tag (the runtime pulls "latest")`. */
export function movingDescription(use: ClassifiedUse): string {
  const tag = use.reference?.tag ?? '';
  switch (use.class) {
    case 'latest':
      return 'the moving tag "latest"';
    case 'untagged':
      return 'no tag, so the runtime pulls "latest"';
    case 'mutable':
      return `the channel tag "${tag}"`;
    case 'floating':
      return `the partial version "${tag}", which follows new releases`;
    case 'version':
      return `the version tag "${tag}" without a digest`;
    case 'digest':
      return 'a digest';
    case 'invalid':
      return 'an invalid reference';
  }
}
