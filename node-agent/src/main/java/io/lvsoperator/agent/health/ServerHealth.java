package io.lvsoperator.agent.health;

/** Whether a real server passes its check. */
public enum ServerHealth {
  UP,
  DOWN
}
