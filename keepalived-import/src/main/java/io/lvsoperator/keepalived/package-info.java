/**
 * {@code import keepalived}: the keepalived.conf files of a set of directors in, the VirtualServer,
 * RealServer, VrrpInstance and Secret manifests that say the same out. {@link
 * io.lvsoperator.keepalived.KeepalivedImport} is the pure function, {@link
 * io.lvsoperator.keepalived.ImportCommand} the command line. Layers: {@code conf} reads the text
 * (keepalived's lexical rules, includes), {@code model} understands one director's keywords, {@code
 * manifest} merges the directors and writes YAML. No Kubernetes client, no native code.
 */
package io.lvsoperator.keepalived;
