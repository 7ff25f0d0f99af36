/**
 * The small files the agent keeps across restarts (IPVS ownership, the VIPs it may hold, DR
 * preparation, the Kubernetes cache), written so that they survive a power loss and read so that a
 * damaged line is reported and skipped. Pure Java NIO; no host adapter.
 */
package io.lvsoperator.agent.statefile;
