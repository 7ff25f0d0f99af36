package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;
import java.util.List;

/** {@code virtual_server_group NAME { ... }}: the VIP:port pairs (and marks) one service covers. */
public record VsGroupConf(Statement header, List<Entry> entries) {
  public String name() {
    return header.arg(0);
  }

  /**
   * {@code ADDRESS[-LAST] [PORT]} or {@code fwmark N}.
   *
   * @param lastOctet the end of a range {@code a.b.c.d-e}, or null for one address
   * @param port null when the line names none
   * @param fwmark set for a {@code fwmark N} line (address then null)
   */
  public record Entry(String address, Integer lastOctet, Integer port, Long fwmark, Statement at) {}
}
