package io.lvsoperator.agent.host.rtnl;

/** RFC 2863 operational state (IFLA_OPERSTATE). */
public enum OperState {
  UNKNOWN(RtnlConstants.IF_OPER_UNKNOWN),
  NOTPRESENT(RtnlConstants.IF_OPER_NOTPRESENT),
  DOWN(RtnlConstants.IF_OPER_DOWN),
  LOWERLAYERDOWN(RtnlConstants.IF_OPER_LOWERLAYERDOWN),
  TESTING(RtnlConstants.IF_OPER_TESTING),
  DORMANT(RtnlConstants.IF_OPER_DORMANT),
  UP(RtnlConstants.IF_OPER_UP);

  private final int value;

  OperState(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static OperState fromValue(int value) {
    for (OperState s : values()) {
      if (s.value == value) {
        return s;
      }
    }
    throw new IllegalArgumentException("IFLA_OPERSTATE: " + value + " is unknown");
  }
}
