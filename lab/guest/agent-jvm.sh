# shellcheck shell=bash
# shellcheck disable=SC2034 # agent_java_opts is the sourcing script's
# The flags seed, compare and mixed start our agent with: the image's (images/agent/jvm.options), the
# chart's maximum heap (agent.maxHeap, helm/lvs-operator/values.yaml) and,
# when lab/run recorded one on the host before the boot (LAB_AGENT_AOT, lab_agent_aot in
# lab/lib/harness.sh), the agent's AOT cache. Source it after OUT/env.
agent_java_opts=("@$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/images/agent/jvm.options" -Xmx96m)
if [ -n "${LAB_AGENT_AOT:-}" ] && [ -f "$LAB_AGENT_AOT" ]; then
  agent_java_opts+=("-XX:AOTCache=$LAB_AGENT_AOT")
fi
