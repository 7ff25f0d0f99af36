/**
 * Process wiring: the command line ({@link io.lvsoperator.agent.process.Main}, {@link
 * io.lvsoperator.agent.process.AgentCommands}), the assembly of host adapters into the node core
 * ({@link io.lvsoperator.agent.process.AgentProcess}), the HTTP endpoints, and the two ways a node
 * gets its desired state: Kubernetes mode (an informer on this node's LvsNode) and standalone mode
 * (manifests from a directory, compiled here). The only agent package that talks to Kubernetes.
 */
package io.lvsoperator.agent.process;
