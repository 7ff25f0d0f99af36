package io.lvsoperator.keepalived.conf;

/** How much a finding of the import matters. */
public enum Severity {
  /** Read and understood; nothing of it is lost, or what is lost does nothing here. */
  NOTE,
  /** A keepalived feature lvs-operator cannot express: the import is partial. */
  UNSUPPORTED,
  /** The input itself is wrong (keepalived would reject it or the directors disagree). */
  ERROR
}
