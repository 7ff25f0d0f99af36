package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;
import java.util.List;

/**
 * A checker block of a real_server: {@code HTTP_GET}, {@code SSL_GET} or {@code TCP_CHECK} (others
 * are reported and not kept).
 *
 * @param header the {@code HTTP_GET} line; its keyword is the type
 */
public record CheckConf(
    Statement header, Setting<Integer> connectPort, CheckTiming timing, List<UrlConf> urls) {
  public String type() {
    return header.keyword();
  }

  /**
   * One {@code url { ... }} block.
   *
   * @param statusCodes the words of {@code status_code}: codes and ranges
   * @param bodyContains a {@code regex} without special characters (a plain substring)
   */
  public record UrlConf(
      Statement header,
      Setting<String> path,
      Setting<List<String>> statusCodes,
      Setting<String> virtualhost,
      Setting<String> bodyContains) {}
}
