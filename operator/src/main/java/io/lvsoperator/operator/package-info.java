/**
 * The lvs-operator controller: three JOSDK reconcilers sharing one compile of the cluster ({@link
 * io.lvsoperator.operator.ClusterModel}, the shared {@link io.lvsoperator.compiler.Compiler} run
 * over every VirtualServer, RealServer and Node). {@link
 * io.lvsoperator.operator.NodeConfigReconciler} (primary Node) writes each node's LvsNode as a
 * dependent resource; {@link io.lvsoperator.operator.VirtualServerReconciler} and {@link
 * io.lvsoperator.operator.RealServerReconciler} patch their own status and record Events. The flow
 * is written down in {@code docs/operator.md}.
 */
package io.lvsoperator.operator;
