package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Statement;
import java.util.List;

/**
 * {@code real_server ADDRESS [PORT] { ... }}.
 *
 * @param port null when the line names none (keepalived then uses the virtual server's)
 * @param method {@code lvs_method} of this real server, or null for the virtual server's
 * @param otherChecks the checkers the import does not read (MISC_CHECK and the like), reported
 */
public record RealServerConf(
    Statement header,
    String address,
    Integer port,
    Setting<Integer> weight,
    Setting<String> method,
    CheckTiming timing,
    List<CheckConf> checks,
    List<Statement> otherChecks) {}
