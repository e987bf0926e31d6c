/** Issue 8: the three imageID forms runtimes report normalise to one digest. */
import { describe, expect, it } from 'vitest';
import { normalizeImageID, shortDigest } from '../../src/audit/image-id.js';

const HEX = '5eb7e725e6bac43f2a906437aa7be080081de786a7d12f7b9649be47b69d6ca0';
const DIGEST = `sha256:${HEX}`;

describe('normalizeImageID', () => {
  it.each([
    ['containerd / CRI-O', `docker.io/library/nginx@${DIGEST}`, 'docker.io/library/nginx'],
    ['dockershim / cri-dockerd', `docker-pullable://nginx@${DIGEST}`, 'docker.io/library/nginx'],
    ['a digest alone', DIGEST, null],
    ['docker image ID', `docker://${DIGEST}`, null],
    ['a bare 64-hex image ID', HEX, null],
    ['a private registry with a port', `registry.example.com:5000/shop/app@${DIGEST}`, 'registry.example.com:5000/shop/app'],
    ['tag and digest', `docker.io/library/nginx:1.27.3@${DIGEST}`, 'docker.io/library/nginx'],
    ['index.docker.io', `index.docker.io/library/nginx@${DIGEST}`, 'docker.io/library/nginx'],
  ])('%s: %s', (_label, imageID, repository) => {
    expect(normalizeImageID(imageID)).toEqual({ digest: DIGEST, repository });
  });

  it('the three forms of one image compare equal', () => {
    const forms = [`docker.io/library/nginx@${DIGEST}`, `docker-pullable://nginx@${DIGEST}`, DIGEST];
    expect(new Set(forms.map((form) => normalizeImageID(form)?.digest))).toEqual(new Set([DIGEST]));
  });

  it.each([[''], [null], [undefined], ['   ']])('no imageID (%j): null', (imageID) => {
    expect(normalizeImageID(imageID)).toBeNull();
  });

  it('an unknown shape keeps a trailing digest, else the text itself, as identity', () => {
    expect(normalizeImageID(`weird://Upper/Case@${DIGEST}`)).toEqual({ digest: DIGEST, repository: null });
    expect(normalizeImageID('something-else')).toEqual({ digest: 'something-else', repository: null });
  });

  it('shortDigest keeps 12 hex digits', () => {
    expect(shortDigest(DIGEST)).toBe('sha256:5eb7e725e6ba');
    expect(shortDigest('odd')).toBe('odd');
  });
});
