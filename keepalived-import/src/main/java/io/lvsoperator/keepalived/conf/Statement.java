package io.lvsoperator.keepalived.conf;

import java.util.List;

/**
 * One logical line of keepalived.conf: a keyword, its arguments and, when a {@code {} block}
 * follows it, the statements inside. Inside value blocks such as {@code virtual_ipaddress} the
 * "keyword" is the first word of the line (the address).
 *
 * @param block the statements between the braces that follow this line; null when none follow
 * @param end the line of the '}' that closes the block; null when there is no (closed) block
 */
public record Statement(
    String keyword, List<String> args, Location at, List<Statement> block, Location end) {
  public Statement {
    args = List.copyOf(args);
    block = block == null ? null : List.copyOf(block);
  }

  public boolean hasBlock() {
    return block != null;
  }

  /** The statements of the block, or none. */
  public List<Statement> children() {
    return block == null ? List.of() : block;
  }

  /** Argument {@code i}, or null. */
  public String arg(int i) {
    return i < args.size() ? args.get(i) : null;
  }

  /** The line as read, for comments: {@code lb_algo rr}. */
  public String text() {
    return args.isEmpty() ? keyword : keyword + " " + String.join(" ", args);
  }
}
