package io.lvsoperator.agent.host.ipvs;

import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.IpvsConstants;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsService;
import io.lvsoperator.agent.ipvs.IpvsServiceState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code ipvsadm -Ln} parsed into comparable text, the independent oracle of lab tests: service
 * lines as "TCP 10.0.0.1:80 rr [persistent 300 [mask 255.255.255.0]]" mapping to sorted destination
 * lines "10.0.0.2:80 Route 1".
 */
final class IpvsadmTable {
  private IpvsadmTable() {}

  static Map<String, TreeSet<String>> parse(String ipvsadmLn) {
    Map<String, TreeSet<String>> table = new TreeMap<>();
    String current = null;
    for (String raw : ipvsadmLn.lines().toList()) {
      String line = raw.strip();
      if (line.isEmpty()
          || line.startsWith("IP Virtual Server")
          || line.startsWith("Prot ")
          || line.startsWith("-> RemoteAddress")) {
        continue;
      }
      String[] t = line.split("\\s+");
      if (t[0].equals("->")) {
        if (current == null) {
          throw new IllegalArgumentException("destination before any service: " + raw);
        }
        table.get(current).add(t[1] + " " + t[2] + " " + t[3]);
      } else if (t[0].matches("TCP|UDP|SCTP|FWM")) {
        current = String.join(" ", t);
        table.put(current, new TreeSet<>());
      } else {
        throw new IllegalArgumentException("unexpected ipvsadm line: " + raw);
      }
    }
    return table;
  }

  /** The same shape from our records, as ipvsadm would print them. */
  static Map<String, TreeSet<String>> expected(List<IpvsServiceState> states) {
    Map<String, TreeSet<String>> table = new TreeMap<>();
    for (IpvsServiceState s : states) {
      IpvsService svc = s.service();
      List<String> words = new ArrayList<>();
      words.add(svc.key().toString());
      words.add(svc.scheduler());
      if (svc.persistenceTimeoutSeconds() > 0) {
        words.add("persistent " + svc.persistenceTimeoutSeconds());
        if (svc.key().family() == IpvsConstants.AF_INET && svc.persistenceNetmask() != 32) {
          byte[] m = IpvsCodec.netmask(IpvsConstants.AF_INET, svc.persistenceNetmask());
          words.add(
              "mask "
                  + (m[0] & 0xff)
                  + "."
                  + (m[1] & 0xff)
                  + "."
                  + (m[2] & 0xff)
                  + "."
                  + (m[3] & 0xff));
        }
      }
      TreeSet<String> dests = new TreeSet<>();
      for (IpvsDestination d : s.destinations()) {
        dests.add(d.key() + " " + FORWARD_NAMES.get(d.forwarding()) + " " + d.weight());
      }
      table.put(String.join(" ", words), dests);
    }
    return table;
  }

  private static final Map<ForwardingMethod, String> FORWARD_NAMES = new LinkedHashMap<>();

  static {
    FORWARD_NAMES.put(ForwardingMethod.MASQ, "Masq");
    FORWARD_NAMES.put(ForwardingMethod.LOCALNODE, "Local");
    FORWARD_NAMES.put(ForwardingMethod.TUNNEL, "Tunnel");
    FORWARD_NAMES.put(ForwardingMethod.DROUTE, "Route");
    FORWARD_NAMES.put(ForwardingMethod.BYPASS, "Bypass");
  }

  /** Only the entries whose service line contains {@code marker} (e.g. our test VIP prefix). */
  static Map<String, TreeSet<String>> only(Map<String, TreeSet<String>> table, String marker) {
    Map<String, TreeSet<String>> out = new TreeMap<>();
    table.forEach(
        (k, v) -> {
          if (k.contains(marker)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
