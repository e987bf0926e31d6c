/** `--rewrite` recognition: the patterns become guard calls, everything else is reported, never guessed. */
import { describe, expect, it } from 'vitest';
import { toLines } from '../../src/inject/lines.js';
import { rewriteTemplate, type RewriteOptions } from '../../src/inject/rewrite.js';
import { commentLines, guardedTemplates, imageLine } from '../../src/inject/template-scan.js';

const options: RewriteOptions = { version: 1, rewrite: true, stringPath: (path) => path === 'app.image' };
const rewriteLine = (line: string) => {
  const result = rewriteTemplate(toLines(`${line}\n`), options);
  return { line: result.edits[0]?.insert[0] ?? null, result };
};
const call = (image: string, path: string, context: string, appVersion = false) =>
  `{{ include "imageguard.v1.image" (dict "image" ${image} "path" "${path}" "context" ${context}${appVersion ? '' : ' "appVersion" false'}) }}`;

describe('rewriteTemplate: recognised image expressions', () => {
  it.each([
    [
      'helm create',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"',
      `          image: "${call('.Values.image', 'image', '.', true)}"`,
    ],
    ['default as a call', 'image: "{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}"', `image: "${call('.Values.image', 'image', '.', true)}"`],
    ['podinfo', '  image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"', `  image: "${call('.Values.image', 'image', '.')}"`],
    ['$ receiver, list item', '- image: {{ $.Values.redis.repository }}:{{ $.Values.redis.tag }}', `- image: ${call('$.Values.redis', 'redis', '$')}`],
    ['single quotes, nested path', "image: '{{ .Values.a.b.image.repository }}:{{ .Values.a.b.image.tag }}'", `image: '${call('.Values.a.b.image', 'a.b.image', '.')}'`],
    ['registry prefix', 'image: {{ .Values.x.registry }}/{{ .Values.x.repository }}:{{ .Values.x.tag }}', `image: ${call('.Values.x', 'x', '.')}`],
    [
      'global registry default',
      'image: "{{ .Values.global.imageRegistry | default .Values.t.image.registry }}/{{ .Values.t.image.repository }}:{{ .Values.t.image.tag }}"',
      `image: "${call('.Values.t.image', 't.image', '.')}"`,
    ],
    ['trim markers kept at the ends', 'image: {{- .Values.i.repository -}}:{{- .Values.i.tag -}}', 'image: {{- include "imageguard.v1.image" (dict "image" .Values.i "path" "i" "context" . "appVersion" false) -}}'],
    ['string in values.yaml', 'image: {{ .Values.app.image }}', `image: ${call('.Values.app.image', 'app.image', '.')}`],
    [
      'Bitnami call in a define',
      '{{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global) }}',
      call('.Values.image', 'image', '.'),
    ],
    [
      'Bitnami call with chart (appVersion fallback) and spaces',
      '{{- include "common.images.image" ( dict "imageRoot" .Values.metrics.image "global" .Values.global "chart" .Chart ) -}}',
      '{{- include "imageguard.v1.image" (dict "image" .Values.metrics.image "path" "metrics.image" "context" .) -}}',
    ],
    [
      'Bitnami call on an image line, .context receiver',
      'image: {{ include "common.images.image" (dict "imageRoot" .context.Values.image "global" .context.Values.global) }}',
      `image: ${call('.context.Values.image', 'image', '.context')}`,
    ],
  ])('%s', (_name, line, expected) => {
    const { line: out, result } = rewriteLine(line);
    expect(out).toBe(expected);
    expect(result.rewritten).toHaveLength(1);
    expect(result.unrecognised).toEqual([]);
  });
});

describe('rewriteTemplate: reported, not rewritten', () => {
  it.each([
    ['hard-coded', '      image: busybox', /hard-coded image busybox/],
    ['an expression split over lines', '      image: {{ include "x.image" (dict', /image expression not recognised/],
    ['repository and tag of different values', 'image: {{ .Values.a.repository }}:{{ .Values.b.tag }}', /not recognised/],
    ['different receivers', 'image: {{ .Values.a.repository }}:{{ $.Values.a.tag }}', /not recognised/],
    ['a digest suffix the guard would not see', 'image: "{{ .Values.a.repository }}:{{ .Values.a.tag }}@sha256:{{ .Values.a.sha }}"', /not recognised/],
    ['a local variable registry', 'image: "{{ $registry }}/{{ .Values.a.repository }}:{{ .Values.a.tag }}"', /not recognised/],
    ['a whole value that is a map in values.yaml', 'image: {{ .Values.other.image }}', /not recognised/],
    ['a v-prefixed appVersion default', 'image: {{ .Values.a.repository }}:{{ .Values.a.tag | default (printf "v%s" .Chart.AppVersion) }}', /not recognised/],
    ['a Bitnami call with other arguments', '{{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global "extra" 1) }}', /common\.images\.image call/],
    ['a Bitnami call whose global has another receiver', '{{ include "common.images.image" (dict "imageRoot" .Values.image "global" $.Values.global) }}', /common\.images\.image call/],
  ])('%s', (_name, line, reason) => {
    const { line: out, result } = rewriteLine(line);
    expect(out).toBeNull();
    expect(result.unrecognised).toEqual([{ line: 1, text: line.trim(), reason: expect.stringMatching(reason) as string }]);
  });

  it('leaves an include of a named template for later (it may call the guard)', () => {
    const { result } = rewriteLine('          image: {{ include "nginx.image" . }}');
    expect(result.pending).toEqual([{ line: 1, name: 'nginx.image', text: 'image: {{ include "nginx.image" . }}' }]);
  });

  it('skips comments, imagePullPolicy, image maps and lines already guarded', () => {
    const text = [
      '{{/*',
      'image: {{ .Values.image.repository }}:{{ .Values.image.tag }}',
      '{{ include "common.images.image" ( dict "imageRoot" .Values.path.to.the.image "global" .Values.global ) }}',
      '*/}}',
      '# image: busybox',
      'imagePullPolicy: {{ .Values.image.pullPolicy }}',
      'image:',
      `image: "${call('.Values.image', 'image', '.')}"`,
    ].join('\n');
    const result = rewriteTemplate(toLines(text), options);
    expect(result).toEqual({ edits: [], rewritten: [], renamed: [], unrecognised: [], pending: [] });
  });

  it('changes nothing but older helper versions without --rewrite', () => {
    const text = 'image: {{ .Values.image.repository }}:{{ .Values.image.tag }}\nimage: {{ include "imageguard.v0.image" (dict "image" .Values.x) }}\n';
    const result = rewriteTemplate(toLines(text), { ...options, rewrite: false });
    expect(result.edits).toEqual([{ start: 1, deleteCount: 1, insert: ['image: {{ include "imageguard.v1.image" (dict "image" .Values.x) }}'] }]);
    expect(result.renamed).toEqual([{ line: 2, text: 'image: {{ include "imageguard.v0.image" (dict "image" .Values.x) }}' }]);
  });

  it('is idempotent: its own output is recognised as guarded', () => {
    const first = rewriteLine('image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"');
    expect(rewriteLine(first.line!).result.edits).toEqual([]);
  });
});

describe('template-scan', () => {
  it('marks lines inside {{/* */}} comments, including one-line comments and trim markers', () => {
    expect(commentLines(['a', '{{- /* x */ -}}', '{{/*', 'b', '*/}}', 'c'])).toEqual([false, true, true, true, true, false]);
  });

  it('finds image lines and ignores keys that only start with image', () => {
    expect(imageLine('  - image: nginx:1.2.3  ')).toEqual({ valueStart: 11, value: 'nginx:1.2.3' });
    expect(imageLine('imagePullPolicy: Always')).toBeNull();
    expect(imageLine('image:')).toBeNull();
    expect(imageLine('image: # comment')).toBeNull();
  });

  it('follows includes through named templates to the guard', () => {
    const files = [
      '{{- define "a.image" -}}{{ include "imageguard.v1.image" (dict) }}{{- end -}}\n{{- define "b" -}}{{ include "a.image" . }}{{- end -}}',
      '{{- define "c" -}}{{ template "b" . }}{{- end -}}{{- define "d" -}}{{ .Values.x }}{{- end -}}',
    ];
    expect([...guardedTemplates(files, (name) => name === 'imageguard.v1.image')].sort()).toEqual(['a.image', 'b', 'c']);
  });
});
