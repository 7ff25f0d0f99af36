{{/* Chart name, overridable. */}}
{{- define "lvs.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Object-name prefix: RELEASE-CHART, or RELEASE when it already contains the chart name. */}}
{{- define "lvs.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lvs.operatorName" -}}
{{- printf "%s-operator" (include "lvs.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lvs.agentName" -}}
{{- printf "%s-agent" (include "lvs.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "lvs.leaseName" -}}
{{- default (printf "%s-leader" (include "lvs.fullname" .)) .Values.operator.leaderElection.leaseName }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "lvs.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "lvs.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: lvs-operator
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Selector labels of one component ("operator" or "agent"); pass (list $ "operator"). */}}
{{- define "lvs.selectorLabels" -}}
{{- $ := index . 0 -}}
app.kubernetes.io/name: {{ include "lvs.name" $ }}
app.kubernetes.io/instance: {{ $.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{- define "lvs.image" -}}
{{- printf "%s:%s" .image.repository (default .appVersion .image.tag) }}
{{- end }}
