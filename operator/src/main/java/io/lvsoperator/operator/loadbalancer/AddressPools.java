package io.lvsoperator.operator.loadbalancer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks AddressPools against each other: every entry of {@code spec.addresses} must parse and
 * overlap no other entry of any pool; of two pools that overlap, the older (then the first by name)
 * keeps the addresses and the newer reports {@code Overlap}.
 */
public final class AddressPools {
  private AddressPools() {}

  /** The pools, oldest first, each with its usable ranges and verdict. */
  public static List<Pool> validate(List<PoolDefinition> definitions) {
    List<PoolDefinition> ordered =
        definitions.stream()
            .sorted(
                Comparator.comparing(PoolDefinition::created).thenComparing(PoolDefinition::name))
            .toList();
    List<Pool> out = new ArrayList<>();
    for (PoolDefinition d : ordered) {
      out.add(validate(d, out));
    }
    return List.copyOf(out);
  }

  private static Pool validate(PoolDefinition d, List<Pool> older) {
    List<String> invalid = new ArrayList<>();
    List<String> overlaps = new ArrayList<>();
    List<AddressRange> ranges = new ArrayList<>();
    if (d.addresses().isEmpty()) {
      invalid.add("spec.addresses: is empty");
    }
    for (int i = 0; i < d.addresses().size(); i++) {
      String path = "spec.addresses[" + i + "]";
      String text = d.addresses().get(i);
      AddressRange.Parsed parsed = AddressRange.parse(text);
      if (parsed.range() == null) {
        invalid.add(path + ": " + text + " " + parsed.error());
        continue;
      }
      AddressRange r = parsed.range();
      String clash = null;
      for (int j = 0; j < ranges.size() && clash == null; j++) {
        if (ranges.get(j).overlaps(r)) {
          clash = "overlaps " + ranges.get(j).text() + " of this pool";
        }
      }
      for (Pool p : older) {
        for (AddressRange o : p.ranges()) {
          if (clash == null && o.overlaps(r)) {
            clash = "overlaps " + o.text() + " of the older AddressPool " + p.name();
          }
        }
      }
      if (clash != null) {
        (clash.endsWith("of this pool") ? invalid : overlaps).add(path + ": " + text + " " + clash);
        continue;
      }
      ranges.add(r);
    }
    String reason = Pool.ACCEPTED;
    List<String> problems = new ArrayList<>(invalid);
    problems.addAll(overlaps);
    if (!invalid.isEmpty()) {
      reason = Pool.INVALID_SPEC;
    } else if (!overlaps.isEmpty()) {
      reason = Pool.OVERLAP;
    }
    String message =
        problems.isEmpty()
            ? ""
            : String.join("; ", problems)
                + "; no new addresses are handed out until it is fixed (Services keep the"
                + " addresses they hold)";
    return new Pool(d.name(), ranges, d.namespaces(), d.autoAssign(), reason, message);
  }
}
