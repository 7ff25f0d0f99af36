package io.lvsoperator.agent.ipvs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Desired table vs observed table: the minimal ordered list of operations. Pure.
 *
 * <p>Only keys in {@code owned} (which must contain every desired key) are touched: owned but no
 * longer desired services are deleted, desired ones are added or edited in place; everything else
 * in the kernel is left alone. Order: service deletions first, then per service (sorted by key):
 * add or edit the service, delete gone destinations, edit changed ones, add new ones.
 */
public final class IpvsPlanner {

  private IpvsPlanner() {}

  /** A stable order for keys: by their text (FWM, SCTP, TCP, UDP, then address and port). */
  static final Comparator<IpvsServiceKey> KEY_ORDER =
      Comparator.comparing(IpvsServiceKey::toString);

  public static List<IpvsOperation> plan(
      List<IpvsServiceState> desired, List<IpvsServiceState> observed, Set<IpvsServiceKey> owned) {
    Map<IpvsServiceKey, IpvsServiceState> want = index(desired, "desired");
    Map<IpvsServiceKey, IpvsServiceState> have = index(observed, "observed");
    for (IpvsServiceKey key : want.keySet()) {
      if (!owned.contains(key)) {
        throw new IllegalArgumentException("desired service " + key + " is not in the owned set");
      }
    }
    List<IpvsOperation> ops = new ArrayList<>();
    have.keySet().stream()
        .filter(owned::contains)
        .filter(key -> !want.containsKey(key))
        .sorted(KEY_ORDER)
        .forEach(key -> ops.add(new IpvsOperation.DeleteService(key)));

    want.keySet().stream()
        .sorted(KEY_ORDER)
        .forEach(
            key -> {
              IpvsServiceState target = want.get(key);
              IpvsServiceState current = have.get(key);
              if (current == null) {
                ops.add(new IpvsOperation.AddService(target.service()));
                target.destinations().stream()
                    .sorted(Comparator.comparing(d -> d.key().toString()))
                    .forEach(d -> ops.add(new IpvsOperation.AddDestination(key, d)));
                return;
              }
              if (!current.service().equals(target.service())) {
                ops.add(new IpvsOperation.EditService(target.service()));
              }
              planDestinations(key, target.destinations(), current.destinations(), ops);
            });
    return ops;
  }

  private static void planDestinations(
      IpvsServiceKey key,
      List<IpvsDestination> target,
      List<IpvsDestination> current,
      List<IpvsOperation> ops) {
    Map<IpvsDestination.DestinationKey, IpvsDestination> want = new LinkedHashMap<>();
    target.stream()
        .sorted(Comparator.comparing(d -> d.key().toString()))
        .forEach(d -> want.put(d.key(), d));
    Map<IpvsDestination.DestinationKey, IpvsDestination> have = new LinkedHashMap<>();
    current.stream()
        .sorted(Comparator.comparing(d -> d.key().toString()))
        .forEach(d -> have.put(d.key(), d));
    for (IpvsDestination d : have.values()) {
      if (!want.containsKey(d.key())) {
        ops.add(new IpvsOperation.DeleteDestination(key, d));
      }
    }
    for (IpvsDestination d : want.values()) {
      IpvsDestination existing = have.get(d.key());
      if (existing != null && !existing.equals(d)) {
        ops.add(new IpvsOperation.EditDestination(key, d));
      }
    }
    for (IpvsDestination d : want.values()) {
      if (!have.containsKey(d.key())) {
        ops.add(new IpvsOperation.AddDestination(key, d));
      }
    }
  }

  private static Map<IpvsServiceKey, IpvsServiceState> index(
      List<IpvsServiceState> states, String which) {
    Map<IpvsServiceKey, IpvsServiceState> map = new LinkedHashMap<>();
    for (IpvsServiceState s : states) {
      if (map.put(s.key(), s) != null) {
        throw new IllegalArgumentException(which + " service " + s.key() + " appears twice");
      }
    }
    return map;
  }
}
