/**
 * The lvs-operator controller: observes VirtualServers, RealServers, Nodes, Secrets and LvsNode
 * status; compiles them with the shared {@link io.lvsoperator.compiler.Compiler}; writes one
 * LvsNode per node; aggregates what the agents report into VirtualServer and RealServer status and
 * Events. The flow is written down in {@code docs/operator.md}.
 */
package io.lvsoperator.operator;
