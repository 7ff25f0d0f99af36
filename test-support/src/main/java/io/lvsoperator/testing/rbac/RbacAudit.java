package io.lvsoperator.testing.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * API requests judged against a policy: which are denied, and which permissions of the policy no
 * request used. {@code audited} is the policy under test (a chart's Roles and bindings); {@code
 * alsoAllowed} allows requests without being audited for use (Kubernetes' defaults).
 */
public final class RbacAudit {

  /** One request and who made it. */
  public record Call(Identity identity, RequestAttributes request) {
    @Override
    public String toString() {
      return identity + " " + request;
    }
  }

  private final RbacPolicy audited;
  private final RbacPolicy alsoAllowed;
  private final Map<Call, Integer> calls = new LinkedHashMap<>();

  public RbacAudit(RbacPolicy audited, RbacPolicy alsoAllowed, Collection<Call> calls) {
    this.audited = audited;
    this.alsoAllowed = alsoAllowed;
    for (Call c : calls) {
      this.calls.merge(c, 1, Integer::sum);
    }
  }

  /** The distinct calls no grant allows, in the order they were first made. */
  public List<Call> denied() {
    return calls.keySet().stream().filter(c -> !allowed(c)).toList();
  }

  /**
   * The audited permissions to any of {@code identities} that no allowed call used, minus those
   * whose {@link Permission#action()} {@code excused} names (with the reason it is granted anyway).
   */
  public List<Permission> unused(Collection<Identity> identities, Map<String, String> excused) {
    List<Permission> out = new ArrayList<>();
    for (Permission p : audited.permissions()) {
      boolean concerned = identities.stream().anyMatch(i -> p.grant().subject().matches(i));
      if (!concerned || excused.containsKey(p.action())) {
        continue;
      }
      boolean used =
          calls.keySet().stream().anyMatch(c -> allowed(c) && p.usedBy(c.identity(), c.request()));
      if (!used) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  private boolean allowed(Call c) {
    return audited.allows(c.identity(), c.request())
        || alsoAllowed.allows(c.identity(), c.request());
  }

  /**
   * One line per distinct call: ALLOWED (and by which grants) or DENIED, the identity, the request
   * attributes and how many times it was made.
   */
  public String report() {
    StringBuilder out = new StringBuilder();
    calls.forEach(
        (c, n) -> {
          List<Grant> by = new ArrayList<>(audited.allowing(c.identity(), c.request()));
          by.addAll(alsoAllowed.allowing(c.identity(), c.request()));
          out.append(by.isEmpty() ? "DENIED  " : "ALLOWED ")
              .append(c)
              .append(" x")
              .append(n)
              .append(
                  by.isEmpty()
                      ? ""
                      : " by " + by.stream().map(Grant::source).collect(Collectors.joining("; ")))
              .append('\n');
        });
    return out.toString();
  }
}
