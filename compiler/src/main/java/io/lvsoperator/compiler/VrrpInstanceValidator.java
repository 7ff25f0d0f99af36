package io.lvsoperator.compiler;

import io.lvsoperator.api.v1alpha1.Patterns;
import io.lvsoperator.api.v1alpha1.VrrpInstance;
import io.lvsoperator.api.v1alpha1.VrrpInstanceSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/** Checks a VrrpInstance as the API server would, and more (address literals, labels, repeats). */
final class VrrpInstanceValidator {
  private static final Pattern INTERFACE_NAME = Pattern.compile(Patterns.INTERFACE_NAME);

  private final VrrpValidator vrrpValidator;

  VrrpInstanceValidator(VrrpValidator vrrpValidator) {
    this.vrrpValidator = vrrpValidator;
  }

  /** Either a valid VrrpInstance or the errors that prevent it. */
  record Outcome(ValidVrrpInstance valid, List<FieldError> errors) {}

  Outcome validate(VrrpInstance vri) {
    ObjectKey key = ObjectKey.of(vri);
    VrrpInstanceSpec spec = vri.getSpec();
    FieldErrors errors = new FieldErrors();
    if (spec == null) {
      errors.add("spec", null, "is required");
      return new Outcome(null, errors.list());
    }
    var vrrp = vrrpValidator.validate("spec.vrrp", key.namespace(), spec.vrrp(), errors);
    var directors = VirtualServerValidator.directors(spec.directors(), errors);
    Map<String, String> seen = new HashMap<>();
    var addresses = addresses("spec.addresses", spec.addresses(), vrrp, seen, errors);
    var excluded =
        addresses("spec.excludedAddresses", spec.excludedAddresses(), vrrp, seen, errors);
    if (!errors.isEmpty()) {
      return new Outcome(null, errors.list());
    }
    return new Outcome(
        new ValidVrrpInstance(
            key,
            VirtualServerValidator.generationOf(vri),
            vrrp,
            directors.nodes(),
            directors.selector(),
            addresses,
            excluded),
        List.of());
  }

  /** One address list; {@code seen} maps each address already listed to where it was. */
  private static List<ValidVrrpInstance.HeldAddress> addresses(
      String listPath,
      List<VrrpInstanceSpec.Address> given,
      ValidVirtualServer.VrrpSettings vrrp,
      Map<String, String> seen,
      FieldErrors errors) {
    List<ValidVrrpInstance.HeldAddress> out = new ArrayList<>();
    if (given == null) {
      return out;
    }
    for (int i = 0; i < given.size(); i++) {
      String path = listPath + "[" + i + "]";
      VrrpInstanceSpec.Address a = given.get(i);
      if (a == null) {
        errors.add(path, null, "is empty");
        continue;
      }
      var held = address(path, a, vrrp, errors);
      if (held == null) {
        continue;
      }
      String earlier = seen.putIfAbsent(held.address(), path);
      if (earlier != null) {
        errors.add(path + ".address", held.address(), "is listed twice (also " + earlier + ")");
        continue;
      }
      out.add(held);
    }
    return out;
  }

  private static ValidVrrpInstance.HeldAddress address(
      String path,
      VrrpInstanceSpec.Address a,
      ValidVirtualServer.VrrpSettings vrrp,
      FieldErrors errors) {
    int before = errors.size();
    String address = VirtualServerValidator.ipv4(path + ".address", a.address(), errors);
    int prefix = Objects.requireNonNullElse(a.prefixLength(), vrrp.vipPrefixLength());
    errors.range(path + ".prefixLength", prefix, 0, 32);
    String iface = Objects.requireNonNullElse(a.interfaceName(), vrrp.interfaceName());
    if (!INTERFACE_NAME.matcher(iface).matches()) {
      errors.add(path + ".interface", iface, "is not an interface name");
    }
    boolean own = iface.equals(vrrp.interfaceName());
    // The instance's label names its interface: it is the default only for addresses on it.
    String label = a.label() != null ? a.label() : own ? vrrp.vipLabel() : null;
    VrrpValidator.label(path + ".label", iface, label, errors);
    if (errors.size() > before) {
      return null;
    }
    return new ValidVrrpInstance.HeldAddress(address, prefix, label, own ? null : iface, path);
  }
}
