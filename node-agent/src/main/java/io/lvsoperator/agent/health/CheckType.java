package io.lvsoperator.agent.health;

/** How a real server is probed; {@link #NONE}: not at all, always up. */
public enum CheckType {
  HTTP_GET,
  HTTPS_GET,
  TCP,
  NONE
}
