{{- /* imageguard-helper v1 sha256:89950b92707200b0ee73528cae4bf811d9a96b59bf76fa70692d12ea4c85cfa2 */ -}}
{{- /*
imageguard guard helper, version 1 (helm-imageguard). Written by `imageguard inject`; inject upgrades it
when this file is unchanged, and leaves it alone (unless --force) when the checksum above no longer matches.

Usage, in a template where the values hold `image: {registry, repository, tag, digest}` or a string:

  image: {{ include "imageguard.v1.image" (dict "image" .Values.image "path" "image" "context" $) | quote }}

  image       the image values: a map (registry, repository, tag, digest) or a string ("nginx:1.27.3")
  path        where those values live, for messages ("image" -> .Values.image.tag)
  context     the root context ($), for .Chart.AppVersion and .Values.global
  appVersion  (optional, default true) use .Chart.AppVersion when a map image has no tag and no digest

Renders [registry/]repository[:tag][@digest]; global.imageRegistry replaces a map image's registry.
Calls `fail` on a tag that can change what it points to: latest, no tag, a channel name (stable, main,
dev, LATEST, *-SNAPSHOT, ...) and, with global.imageguard.rejectFloating, a partial version (1, 1.27).
An invalid reference always fails. Development clusters may set global.imageguard.allowMutable: true.
The names carry the helper version (v1), so an older copy in a subchart never replaces this one.
*/ -}}

{{- define "imageguard.v1.image" -}}
{{- $verdict := include "imageguard.v1.resolve" . | fromJson -}}
{{- if $verdict.message -}}
{{- fail $verdict.message -}}
{{- end -}}
{{- $verdict.image -}}
{{- end -}}

{{- /* Returns JSON {"image", "class", "message"}: class as imageguard lint names it, message empty when allowed. */ -}}
{{- define "imageguard.v1.resolve" -}}
{{- $where := printf ".Values.%s" (toString (.path | default "image")) -}}
{{- $ctx := .context -}}
{{- $global := ((($ctx).Values).global) | default dict -}}
{{- $settings := $global.imageguard | default dict -}}
{{- $allowMutable := eq (toString $settings.allowMutable) "true" -}}
{{- $rejectFloating := eq (toString $settings.rejectFloating) "true" -}}
{{- $useAppVersion := true -}}
{{- if hasKey . "appVersion" -}}{{- $useAppVersion = eq (toString .appVersion) "true" -}}{{- end -}}
{{- $image := "" -}}
{{- $tag := "" -}}
{{- $digest := "" -}}
{{- $tagWhere := printf "%s.tag" $where -}}
{{- $shown := "" -}}
{{- $message := "" -}}
{{- $class := "" -}}
{{- if kindIs "string" .image -}}
  {{- $image = .image -}}
  {{- $tagWhere = $where -}}
  {{- $shown = $image -}}
  {{- if include "imageguard.v1.isReference" $image -}}
    {{- $tag = include "imageguard.v1.referencePart" (list $image "${2}") -}}
    {{- $digest = include "imageguard.v1.referencePart" (list $image "${3}") -}}
  {{- else -}}
    {{- $class = "invalid" -}}
  {{- end -}}
{{- else if kindIs "map" .image -}}
  {{- $registry := "" -}}
  {{- $repository := "" -}}
  {{- if not (kindIs "invalid" .image.registry) -}}{{- $registry = toString .image.registry -}}{{- end -}}
  {{- if $global.imageRegistry -}}{{- $registry = toString $global.imageRegistry -}}{{- end -}}
  {{- if not (kindIs "invalid" .image.repository) -}}{{- $repository = toString .image.repository -}}{{- end -}}
  {{- if not (kindIs "invalid" .image.tag) -}}{{- $tag = toString .image.tag -}}{{- end -}}
  {{- if not (kindIs "invalid" .image.digest) -}}{{- $digest = toString .image.digest -}}{{- end -}}
  {{- $appVersion := toString (((($ctx).Chart).AppVersion) | default "") -}}
  {{- if and (not $tag) (not $digest) $useAppVersion $appVersion -}}
    {{- $tag = $appVersion -}}
    {{- $tagWhere = printf "%s.tag is empty and the chart's appVersion" $where -}}
  {{- end -}}
  {{- $image = $repository -}}
  {{- if $registry -}}{{- $image = printf "%s/%s" $registry $image -}}{{- end -}}
  {{- if $tag -}}{{- $image = printf "%s:%s" $image $tag -}}{{- end -}}
  {{- if $digest -}}{{- $image = printf "%s@%s" $image $digest -}}{{- end -}}
  {{- $shown = $tag -}}
  {{- if not $repository -}}
    {{- $class = "invalid" -}}
    {{- $message = printf "imageguard: %s.repository is empty. Set the image repository." $where -}}
  {{- else if not (include "imageguard.v1.isReference" $image) -}}
    {{- $class = "invalid" -}}
    {{- $tagWhere = $where -}}
    {{- $shown = $image -}}
  {{- end -}}
{{- else -}}
  {{- $class = "invalid" -}}
  {{- $message = printf "imageguard: %s is not set. Set the image repository and a version or a digest." $where -}}
{{- end -}}
{{- if and $digest (not $class) (not (regexMatch `^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$` $digest)) -}}
  {{- $class = "invalid" -}}
  {{- $message = printf "imageguard: %s has the digest %q, which is not a valid sha256, sha384 or sha512 digest." $where $digest -}}
{{- end -}}
{{- if eq $class "invalid" -}}
  {{- if not $message -}}
    {{- $message = printf "imageguard: %s is %q, not a valid image reference. Fix the repository, tag or digest." $tagWhere $shown -}}
  {{- end -}}
{{- else if $digest -}}
  {{- $class = "digest" -}}
{{- else if not $tag -}}
  {{- $class = "untagged" -}}
  {{- if kindIs "string" .image -}}
    {{- $message = printf "imageguard: %s is %q, with no tag, so it pulls \"latest\", a mutable tag. Pin a version or a digest." $where $image -}}
  {{- else -}}
    {{- $message = printf "imageguard: %s.tag is empty (no digest, no appVersion), so %q pulls \"latest\", a mutable tag. Pin a version or a digest." $where $image -}}
  {{- end -}}
{{- else if eq $tag "latest" -}}
  {{- $class = "latest" -}}
{{- else if include "imageguard.v1.isMutable" $tag -}}
  {{- $class = "mutable" -}}
{{- else if include "imageguard.v1.isFloating" $tag -}}
  {{- $class = "floating" -}}
  {{- if $rejectFloating -}}
    {{- $message = printf "imageguard: %s is %q, a floating version. Pin a full version or a digest." $tagWhere $shown -}}
  {{- end -}}
{{- else -}}
  {{- $class = "version" -}}
{{- end -}}
{{- if or (eq $class "latest") (eq $class "mutable") -}}
  {{- $message = printf "imageguard: %s is %q, a mutable tag. Pin a version or a digest." $tagWhere $shown -}}
{{- end -}}
{{- if and $allowMutable (has $class (list "latest" "mutable" "untagged" "floating")) -}}
  {{- $message = "" -}}
{{- end -}}
{{- dict "image" $image "class" $class "message" $message | toJson -}}
{{- end -}}

{{- /* distribution/reference's grammar (RE2, as Docker and the kubelet parse it): name[:tag][@digest]. */ -}}
{{- define "imageguard.v1.referencePattern" -}}
{{- $component := `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])` -}}
{{- $domain := printf `(?:%s(?:\.%s)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?` $component $component -}}
{{- $path := `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*` -}}
{{- $name := printf `(?:%s/)?%s(?:/%s)*` $domain $path $path -}}
{{- printf `^(%s)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$` $name -}}
{{- end -}}

{{- /* (list reference "${N}"): part N of a valid reference (1 name, 2 tag, 3 digest). */ -}}
{{- define "imageguard.v1.referencePart" -}}
{{- regexReplaceAll (include "imageguard.v1.referencePattern" .) (index . 0) (index . 1) -}}
{{- end -}}

{{- /* "true" for a reference Docker accepts: the grammar, a name of at most 255 characters, not a 64-hex image ID. */ -}}
{{- define "imageguard.v1.isReference" -}}
{{- if and (regexMatch (include "imageguard.v1.referencePattern" .) .) (not (regexMatch `^[a-f0-9]{64}$` .)) -}}
{{- if le (len (include "imageguard.v1.referencePart" (list . "${1}"))) 255 -}}true{{- end -}}
{{- end -}}
{{- end -}}

{{- /* "true" when the tag names a channel (imageguard's DEFAULT_MUTABLE_TAGS, compared in lower case). */ -}}
{{- define "imageguard.v1.isMutable" -}}
{{- $tag := lower . -}}
{{- $names := list "latest" "stable" "current" "release" "lts" "mainline" "next" "edge" "canary" "beta" "alpha" "rc" "preview" "testing" "unstable" "experimental" "nightly" "snapshot" "latest-dev" "dev" "devel" "develop" "development" "main" "master" "head" "trunk" "alpine" "slim" "trixie" "bookworm" "bullseye" "noble" "jammy" "focal" -}}
{{- if or (has $tag $names) (regexMatch `^(latest|stable|lts|mainline|nightly|edge)-` $tag) (regexMatch `-(snapshot|latest|stable|lts|nightly|edge|dev)$` $tag) -}}true{{- end -}}
{{- end -}}

{{- /* "true" for a partial version (1, 1.27, v1, 1.x, 8.2-alpine) unless a variant segment pins one build. */ -}}
{{- define "imageguard.v1.isFloating" -}}
{{- $partial := `^[vV]?[0-9]{1,5}(?:\.(?:[0-9]+|x))?(?:\.x)?(?:-(.+))?$` -}}
{{- if regexMatch $partial . -}}
  {{- $pinned := false -}}
  {{- $variant := regexReplaceAll $partial . "${1}" -}}
  {{- if $variant -}}
    {{- $segments := splitList "-" $variant -}}
    {{- $last := sub (len $segments) 1 -}}
    {{- range $i, $segment := $segments -}}
      {{- if and (eq $i $last) (regexMatch `^(r[0-9]+|[0-9]+)$` $segment) -}}{{- $pinned = true -}}{{- end -}}
      {{- if regexMatch `^(199[0-9]|20[0-9][0-9]|2100)(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])([0-9]{4}|[0-9]{6})?$` $segment -}}{{- $pinned = true -}}{{- end -}}
      {{- if and (regexMatch `^[0-9a-f]{7,40}$` $segment) (regexMatch `[0-9]` $segment) (regexMatch `[a-f]` $segment) -}}{{- $pinned = true -}}{{- end -}}
    {{- end -}}
  {{- end -}}
  {{- if not $pinned -}}true{{- end -}}
{{- end -}}
{{- end -}}
