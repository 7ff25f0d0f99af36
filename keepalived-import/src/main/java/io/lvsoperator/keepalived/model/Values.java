package io.lvsoperator.keepalived.model;

import io.lvsoperator.keepalived.conf.Diagnostic;
import io.lvsoperator.keepalived.conf.Statement;
import java.math.BigDecimal;
import java.util.List;

/**
 * Reads the values of keepalived keywords with keepalived's own ranges; a bad value is reported
 * against its line (keepalived reports it too and ignores the line) and read as null.
 */
final class Values {
  private static final String REJECTED = " (keepalived 2.2.7 reports it as invalid too)";

  private final List<Diagnostic> sink;

  Values(List<Diagnostic> sink) {
    this.sink = sink;
  }

  void error(Statement s, String message) {
    sink.add(Diagnostic.error(s.at(), s.keyword(), message));
  }

  void unsupported(Statement s, String message) {
    sink.add(Diagnostic.unsupported(s.at(), s.keyword(), message));
  }

  void note(Statement s, String message) {
    sink.add(Diagnostic.note(s.at(), s.keyword(), message));
  }

  /** The argument at {@code index}, or null after reporting that it is missing. */
  String word(Statement s, int index) {
    String w = s.arg(index);
    if (w == null) {
      error(s, "a value is missing (keepalived stops reading the configuration here)");
    }
    return w;
  }

  Integer integer(Statement s, int index, long min, long max) {
    Long v = number(s, index, min, max);
    return v == null ? null : Math.toIntExact(v);
  }

  Long number(Statement s, int index, long min, long max) {
    String w = word(s, index);
    if (w == null) {
      return null;
    }
    long v;
    try {
      v = Long.parseLong(w.startsWith("+") ? w.substring(1) : w);
    } catch (NumberFormatException e) {
      error(s, w + " is not a number" + REJECTED);
      return null;
    }
    if (v < min || v > max) {
      error(s, w + " is outside " + min + ".." + max + REJECTED);
      return null;
    }
    return v;
  }

  /** A time in seconds with up to microsecond resolution, e.g. 2.5 or 3. */
  BigDecimal seconds(Statement s, int index, BigDecimal min, BigDecimal max) {
    String w = word(s, index);
    if (w == null) {
      return null;
    }
    BigDecimal v;
    try {
      v = new BigDecimal(w);
    } catch (NumberFormatException e) {
      error(s, w + " is not a number of seconds" + REJECTED);
      return null;
    }
    if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
      error(
          s,
          w
              + " is outside "
              + min.toPlainString()
              + ".."
              + max.toPlainString()
              + " seconds"
              + REJECTED);
      return null;
    }
    return v;
  }

  /** keepalived's booleans: on/off, true/false, yes/no; the keyword alone means true. */
  Boolean bool(Statement s, int index) {
    String w = s.arg(index);
    if (w == null) {
      return true;
    }
    return switch (w.toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> {
        error(s, w + " is not one of on, off, true, false, yes, no" + REJECTED);
        yield null;
      }
    };
  }

  /** An IPv4 address (IPv6 is reported as not supported), or null. */
  String ipv4(Statement s, String text) {
    if (text == null) {
      return null;
    }
    if (isIpv4(text)) {
      return text;
    }
    if (text.indexOf(':') >= 0) {
      unsupported(s, text + ": IPv6 is not imported (lvs-operator's VRRP and IPVS are IPv4)");
      return null;
    }
    error(s, text + " is not an IPv4 address" + REJECTED);
    return null;
  }

  static boolean isIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < p.length(); i++) {
        if (!Character.isDigit(p.charAt(i))) {
          return false;
        }
      }
      if (Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** A port 1-65535 (keepalived accepts 0 for "no port"; a port-less service is read elsewhere). */
  Integer port(Statement s, String text) {
    if (text == null) {
      return null;
    }
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    error(s, text + " is not a port" + REJECTED);
    return null;
  }
}
