package io.lvsoperator.operator.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.compiler.ObjectKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {
  private static final Map<Long, String> NOTHING_RESERVED = Map.of();

  @Test
  void oldestFirstGetsTheLowestFreeAddressWhateverTheInputOrder() {
    List<Pool> pools = pools(pool("a", 1, "10.0.0.1-10.0.0.3"));
    List<ServiceClaim> claims =
        new ArrayList<>(List.of(claim("ns", "c", 3), claim("ns", "a", 1), claim("ns", "b", 2)));
    Allocation first = AddressAllocator.allocate(pools, claims, NOTHING_RESERVED);
    Collections.reverse(claims);
    assertThat(AddressAllocator.allocate(pools, claims, NOTHING_RESERVED)).isEqualTo(first);
    assertThat(address(first, "a")).isEqualTo("10.0.0.1");
    assertThat(address(first, "b")).isEqualTo("10.0.0.2");
    assertThat(address(first, "c")).isEqualTo("10.0.0.3");
    assertThat(first.assignment(key("a")).orElseThrow().pool()).isEqualTo("a");
  }

  @Test
  void exhaustionRefusesTheYoungestSayingWhichPoolsAreFull() {
    List<Pool> pools = pools(pool("a", 1, "10.0.0.1-10.0.0.2"), pool("b", 2, "10.0.1.1"));
    Allocation a =
        AddressAllocator.allocate(
            pools,
            List.of(
                claim("ns", "s1", 1),
                claim("ns", "s2", 2),
                claim("ns", "s3", 3),
                claim("ns", "s4", 4)),
            NOTHING_RESERVED);
    assertThat(address(a, "s3")).isEqualTo("10.0.1.1"); // a is full: the next pool by name
    assertThat(a.refusal(key("s4")).orElseThrow())
        .isEqualTo(
            new Allocation.Refusal(
                "PoolExhausted",
                "AddressPool a (2 addresses), AddressPool b (1 addresses) have no free address"));
    assertThat(a.assignment(key("s4"))).isEmpty();
  }

  @Test
  void aHeldAddressStaysEvenWhenAnOlderServiceComes() {
    List<Pool> pools = pools(pool("a", 1, "10.0.0.1-10.0.0.3"));
    Allocation a =
        AddressAllocator.allocate(
            pools,
            List.of(claim("ns", "young", 5).holding("10.0.0.1"), claim("ns", "old", 1)),
            NOTHING_RESERVED);
    assertThat(address(a, "young")).isEqualTo("10.0.0.1");
    assertThat(address(a, "old")).isEqualTo("10.0.0.2");
  }

  @Test
  void twoServicesHoldingOneAddressTheOlderKeepsItTheOtherMoves() {
    List<Pool> pools = pools(pool("a", 1, "10.0.0.1-10.0.0.3"));
    Allocation a =
        AddressAllocator.allocate(
            pools,
            List.of(
                claim("ns", "young", 5).holding("10.0.0.2"),
                claim("ns", "old", 1).holding("10.0.0.2")),
            NOTHING_RESERVED);
    assertThat(address(a, "old")).isEqualTo("10.0.0.2");
    assertThat(address(a, "young")).isEqualTo("10.0.0.1");
  }

  @Test
  void requestsAreHonouredInsideAPoolAndRefusedWithTheReasonOutside() {
    List<Pool> pools = pools(pool("a", 1, "10.0.0.1-10.0.0.9"), pool("b", 2, "10.0.1.0/29"));
    Map<Long, String> reserved =
        Map.of(ip("10.0.0.5"), "the VIP of VirtualServer other/web (written by hand)");
    Allocation a =
        AddressAllocator.allocate(
            pools,
            List.of(
                claim("ns", "holder", 1).holding("10.0.0.4"),
                request("ns", "wants-free", 2, "10.0.0.7", null),
                request("ns", "wants-held", 3, "10.0.0.4", null),
                request("ns", "wants-reserved", 4, "10.0.0.5", null),
                request("ns", "wants-outside", 5, "192.168.0.1", null),
                request("ns", "wants-garbage", 6, "10.0.0.999", null),
                request("ns", "wants-other-pool", 7, "10.0.0.8", "b"),
                request("ns", "wants-in-named-pool", 8, "10.0.1.3", "b")),
            reserved);
    assertThat(address(a, "wants-free")).isEqualTo("10.0.0.7");
    assertThat(address(a, "wants-in-named-pool")).isEqualTo("10.0.1.3");
    assertThat(a.refusal(key("wants-held")).orElseThrow())
        .isEqualTo(
            new Allocation.Refusal(
                "AddressInUse", "10.0.0.4 (spec.loadBalancerIP) is held by Service ns/holder"));
    assertThat(a.refusal(key("wants-reserved")).orElseThrow().message())
        .isEqualTo(
            "10.0.0.5 (spec.loadBalancerIP) is the VIP of VirtualServer other/web (written by"
                + " hand)");
    assertThat(a.refusal(key("wants-outside")).orElseThrow())
        .isEqualTo(
            new Allocation.Refusal(
                "AddressNotInPool", "192.168.0.1 (spec.loadBalancerIP) is in no AddressPool"));
    assertThat(a.refusal(key("wants-garbage")).orElseThrow().reason()).isEqualTo("InvalidRequest");
    assertThat(a.refusal(key("wants-other-pool")).orElseThrow().message())
        .isEqualTo(
            "10.0.0.8 (spec.loadBalancerIP) is in AddressPool a, not in b (annotation"
                + " lvsoperator.io/address-pool)");
  }

  @Test
  void aRequestBeatsAnOlderServiceThatAsksForNothingInParticular() {
    Allocation a =
        AddressAllocator.allocate(
            pools(pool("a", 1, "10.0.0.1-10.0.0.3")),
            List.of(claim("ns", "old", 1), request("ns", "young", 2, "10.0.0.1", null)),
            NOTHING_RESERVED);
    assertThat(address(a, "young")).isEqualTo("10.0.0.1");
    assertThat(address(a, "old")).isEqualTo("10.0.0.2");
  }

  @Test
  void changingTheRequestMovesTheServiceToIt() {
    Allocation a =
        AddressAllocator.allocate(
            pools(pool("a", 1, "10.0.0.1-10.0.0.3")),
            List.of(request("ns", "s", 1, "10.0.0.3", null).holding("10.0.0.1")),
            NOTHING_RESERVED);
    assertThat(address(a, "s")).isEqualTo("10.0.0.3");
  }

  @Test
  void reservedAddressesAreSkipped() {
    Allocation a =
        AddressAllocator.allocate(
            pools(pool("a", 1, "10.0.0.1-10.0.0.3")),
            List.of(claim("ns", "s", 1)),
            Map.of(ip("10.0.0.1"), "x", ip("10.0.0.2"), "y"));
    assertThat(address(a, "s")).isEqualTo("10.0.0.3");
  }

  @Test
  void aHeldAddressStaysWhenAnObjectWrittenLaterClaimsIt() {
    Allocation a =
        AddressAllocator.allocate(
            pools(pool("a", 1, "10.0.0.1-10.0.0.3")),
            List.of(claim("ns", "s", 1).holding("10.0.0.2")),
            Map.of(ip("10.0.0.2"), "the VIP of VirtualServer ns/by-hand"));
    assertThat(address(a, "s")).isEqualTo("10.0.0.2");
  }

  @Test
  void poolChanges() {
    ServiceClaim holds2 = claim("ns", "s", 1).holding("10.0.0.2");
    // the range shrinks past the held address: a new address from what is left
    Allocation shrunk =
        AddressAllocator.allocate(
            pools(pool("a", 1, "10.0.0.3-10.0.0.4")), List.of(holds2), NOTHING_RESERVED);
    assertThat(address(shrunk, "s")).isEqualTo("10.0.0.3");
    // the pool goes: nothing admits the namespace
    Allocation gone = AddressAllocator.allocate(List.of(), List.of(holds2), NOTHING_RESERVED);
    assertThat(gone.refusal(key("s")).orElseThrow().reason()).isEqualTo("NoPool");
    // the pool stops admitting the namespace: the address goes too
    Allocation closed =
        AddressAllocator.allocate(
            pools(
                new PoolDefinition("a", Instant.EPOCH, List.of("10.0.0.0/29"), Set.of("x"), true)),
            List.of(holds2),
            NOTHING_RESERVED);
    assertThat(closed.assignment(key("s"))).isEmpty();
    // the pool grows: the held address stays
    Allocation grown =
        AddressAllocator.allocate(
            pools(pool("a", 1, "10.0.0.0/24")), List.of(holds2), NOTHING_RESERVED);
    assertThat(address(grown, "s")).isEqualTo("10.0.0.2");
  }

  @Test
  void anInvalidOrOverlappingPoolKeepsWhatItsServicesHoldAndHandsOutNothingNew() {
    List<Pool> pools =
        pools(pool("a", 1, "10.0.0.0/30"), pool("b", 2, "10.0.0.2-10.0.0.9", "10.0.1.0/30"));
    Allocation a =
        AddressAllocator.allocate(
            pools,
            List.of(
                claim("ns", "holds-b", 1).holding("10.0.1.1"),
                request("ns", "asks-b", 2, "10.0.1.2", null),
                claim("ns", "names-b", 3).inPool("b")),
            NOTHING_RESERVED);
    assertThat(address(a, "holds-b")).isEqualTo("10.0.1.1");
    assertThat(a.refusal(key("asks-b")).orElseThrow().reason()).isEqualTo("PoolNotAccepted");
    assertThat(a.refusal(key("names-b")).orElseThrow().message())
        .startsWith("AddressPool b hands out no new addresses: spec.addresses[0]");
  }

  @Test
  void aPoolWithoutAutoAssignServesOnlyThoseWhoAskForIt() {
    List<Pool> pools =
        pools(
            new PoolDefinition(
                "manual", Instant.EPOCH, List.of("10.0.0.1-10.0.0.2"), Set.of(), false));
    Allocation a =
        AddressAllocator.allocate(
            pools,
            List.of(
                claim("ns", "any", 1),
                claim("ns", "named", 2).inPool("manual"),
                request("ns", "asked", 3, "10.0.0.2", null),
                claim("other", "missing-pool", 4).inPool("nope")),
            NOTHING_RESERVED);
    assertThat(a.refusal(key("any")).orElseThrow().reason()).isEqualTo("NoPool");
    assertThat(address(a, "named")).isEqualTo("10.0.0.1");
    assertThat(address(a, "asked")).isEqualTo("10.0.0.2");
    assertThat(a.refusal(new ObjectKey("other", "missing-pool")).orElseThrow().reason())
        .isEqualTo("PoolNotFound");
  }

  @Test
  void namespacesAdmittedByAPoolOnly() {
    List<Pool> pools =
        pools(
            new PoolDefinition("team-a", Instant.EPOCH, List.of("10.0.0.1"), Set.of("a"), true),
            pool("shared", 2, "10.0.1.1"));
    Allocation alloc =
        AddressAllocator.allocate(
            pools,
            List.of(
                new ServiceClaim(
                    new ObjectKey("b", "s"), "u", Instant.EPOCH, null, null, null, null),
                new ServiceClaim(
                    new ObjectKey("b", "t"), "u", Instant.EPOCH, null, null, "team-a", null)),
            NOTHING_RESERVED);
    assertThat(alloc.assignment(new ObjectKey("b", "s")).orElseThrow().address())
        .isEqualTo("10.0.1.1");
    assertThat(alloc.refusal(new ObjectKey("b", "t")).orElseThrow().message())
        .isEqualTo("AddressPool team-a does not admit namespace b (spec.namespaces)");
  }

  @Test
  void aRestartGivesEveryServiceWhatItHeld() {
    List<Pool> pools = pools(pool("a", 1, "10.0.0.0/28"), pool("b", 2, "10.0.1.0/28"));
    List<ServiceClaim> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      claims.add(claim("ns", "s" + i, i));
    }
    Allocation before = AddressAllocator.allocate(pools, claims, NOTHING_RESERVED);
    // Some Services go, new ones come, and the operator restarts: what each held comes from its
    // status; the order the informer lists them in is any.
    List<ServiceClaim> after = new ArrayList<>();
    for (ServiceClaim c : claims) {
      if (Integer.parseInt(c.key().name().substring(1)) % 3 != 0) {
        after.add(c.holding(before.assignment(c.key()).orElseThrow().address()));
      }
    }
    for (int i = 20; i < 26; i++) {
      after.add(claim("ns", "s" + i, i - 100)); // older than all: still no one is moved
    }
    Collections.shuffle(after, new Random(7));
    Allocation restarted = AddressAllocator.allocate(pools, after, NOTHING_RESERVED);
    for (ServiceClaim c : after) {
      if (c.heldAddress() != null) {
        assertThat(restarted.assignment(c.key()).orElseThrow().address())
            .isEqualTo(c.heldAddress());
      }
    }
    assertThat(restarted.assignments()).hasSize(after.size());
    assertThat(restarted.refusals()).isEmpty();
  }

  /** Random pools, holds, requests and reservations: no address is ever handed out twice. */
  @Test
  void noAddressIsEverHandedOutTwiceNorOneThatIsReserved() {
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      List<PoolDefinition> defs = new ArrayList<>();
      int poolCount = 1 + random.nextInt(3);
      for (int p = 0; p < poolCount; p++) {
        int start = random.nextInt(20);
        defs.add(
            new PoolDefinition(
                "p" + p,
                Instant.ofEpochSecond(random.nextInt(3)),
                List.of("10.0.0." + start + "-10.0.0." + (start + random.nextInt(8))),
                random.nextInt(4) == 0 ? Set.of("n0") : Set.of(),
                random.nextInt(5) != 0));
      }
      List<Pool> pools = AddressPools.validate(defs);
      Map<Long, String> reserved = new HashMap<>();
      for (int r = random.nextInt(4); r > 0; r--) {
        reserved.put(ip("10.0.0." + random.nextInt(30)), "reserved");
      }
      List<ServiceClaim> claims = new ArrayList<>();
      for (int s = random.nextInt(15); s > 0; s--) {
        String held = random.nextBoolean() ? "10.0.0." + random.nextInt(30) : null;
        String asked = random.nextInt(4) == 0 ? "10.0.0." + random.nextInt(30) : null;
        String named = random.nextInt(5) == 0 ? "p" + random.nextInt(4) : null;
        claims.add(
            new ServiceClaim(
                new ObjectKey("n" + random.nextInt(2), "s" + s),
                "u" + s,
                Instant.ofEpochSecond(random.nextInt(5)),
                asked,
                "spec.loadBalancerIP",
                named,
                held));
      }
      Allocation a = AddressAllocator.allocate(pools, claims, reserved);
      Set<String> seen = new HashSet<>();
      for (var e : a.assignments().entrySet()) {
        String address = e.getValue().address();
        assertThat(seen.add(address)).as("round %d: %s twice", round, address).isTrue();
        ServiceClaim claim =
            claims.stream().filter(c -> c.key().equals(e.getKey())).findFirst().orElseThrow();
        if (!address.equals(claim.heldAddress())) {
          assertThat(reserved)
              .as("round %d: %s is reserved", round, address)
              .doesNotContainKey(ip(address));
        }
        Pool pool =
            pools.stream()
                .filter(p -> p.name().equals(e.getValue().pool()))
                .findFirst()
                .orElseThrow();
        assertThat(pool.contains(ip(address))).isTrue();
        assertThat(pool.admits(e.getKey().namespace())).isTrue();
      }
      assertThat(a.assignments().size() + a.refusals().size()).isEqualTo(claims.size());
    }
  }

  static List<Pool> pools(PoolDefinition... defs) {
    return AddressPools.validate(List.of(defs));
  }

  static PoolDefinition pool(String name, long created, String... addresses) {
    return AddressPoolsTest.pool(name, created, addresses);
  }

  static ServiceClaim claim(String namespace, String name, long created) {
    return new ServiceClaim(
        new ObjectKey(namespace, name),
        "uid-" + name,
        Instant.ofEpochSecond(created),
        null,
        null,
        null,
        null);
  }

  static ServiceClaim request(String namespace, String name, long created, String ip, String pool) {
    return new ServiceClaim(
        new ObjectKey(namespace, name),
        "uid-" + name,
        Instant.ofEpochSecond(created),
        ip,
        "spec.loadBalancerIP",
        pool,
        null);
  }

  static ObjectKey key(String name) {
    return new ObjectKey("ns", name);
  }

  static String address(Allocation a, String name) {
    return a.assignment(key(name))
        .orElseThrow(() -> new AssertionError(a.refusal(key(name))))
        .address();
  }

  static long ip(String text) {
    return AddressRange.address(text).orElseThrow();
  }
}
