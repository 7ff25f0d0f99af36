package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;
import java.util.List;

/** {@code vrrp_sync_group NAME { group { INSTANCE ... } }}. */
public record SyncGroupConf(Statement header, List<Setting<String>> members) {
  public String name() {
    return header.arg(0);
  }
}
