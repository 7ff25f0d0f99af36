package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Location;
import io.lvsoperator.keepalived.conf.Statement;

/** A value read from keepalived.conf and the line it came from. */
public record Setting<T>(T value, Statement at) {
  public Location location() {
    return at.at();
  }

  /** The line as written, for comments: {@code lb_algo rr}. */
  public String text() {
    return at.text();
  }
}
