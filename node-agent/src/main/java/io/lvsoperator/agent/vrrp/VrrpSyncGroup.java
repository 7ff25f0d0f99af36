package io.lvsoperator.agent.vrrp;

import java.util.List;

/**
 * Instances that change state together (keepalived's vrrp_sync_group): one becoming master pulls
 * the others to master, one falling back pulls them back, and a fault in one faults them all until
 * every member is healthy again.
 */
final class VrrpSyncGroup {
  private final String name;
  private final List<VrrpRouter> members;
  private boolean propagating;

  VrrpSyncGroup(String name, List<VrrpRouter> members) {
    this.name = name;
    this.members = List.copyOf(members);
    for (VrrpRouter m : this.members) {
      m.joinSyncGroup(this);
    }
  }

  String name() {
    return name;
  }

  List<VrrpRouter> members() {
    return members;
  }

  boolean anyMemberFaulted() {
    for (VrrpRouter m : members) {
      if (m.ownFault()) {
        return true;
      }
    }
    return false;
  }

  void refreshFault() {
    boolean previous = propagating;
    propagating = true;
    try {
      for (VrrpRouter m : members) {
        m.applyFault();
      }
    } finally {
      propagating = previous;
    }
  }

  void memberChanged(VrrpRouter source, VrrpState to) {
    if (propagating) {
      return;
    }
    propagating = true;
    try {
      for (VrrpRouter m : members) {
        if (m == source) {
          continue;
        }
        switch (to) {
          case MASTER -> m.forceMaster();
          case BACKUP -> m.forceBackup();
          case FAULT, INITIALIZE -> {}
        }
      }
    } finally {
      propagating = false;
    }
  }
}
