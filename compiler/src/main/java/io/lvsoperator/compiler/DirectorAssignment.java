package io.lvsoperator.compiler;

/** A node chosen to direct a VirtualServer, with its VRRP priority. */
public record DirectorAssignment(String node, int priority) {}
