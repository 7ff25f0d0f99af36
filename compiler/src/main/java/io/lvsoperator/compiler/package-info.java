/**
 * The CR→node compiler: VirtualServers + RealServers + nodes in, one {@link
 * io.lvsoperator.api.v1alpha1.LvsNodeSpec} per node out, plus a verdict per VirtualServer.
 *
 * <p>Pure and deterministic: no Kubernetes client, no clock, no I/O. The same input in any order
 * gives byte-identical output, so the operator never churns the per-node objects. Shared by the
 * operator and by the node agent's standalone mode. Entry point: {@link Compiler#compile}.
 */
package io.lvsoperator.compiler;
