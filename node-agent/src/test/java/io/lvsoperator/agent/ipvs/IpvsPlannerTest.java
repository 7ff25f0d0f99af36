package io.lvsoperator.agent.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.rr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.state;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.table;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvsoperator.agent.ipvs.IpvsOperation.AddDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation.AddService;
import io.lvsoperator.agent.ipvs.IpvsOperation.DeleteDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation.DeleteService;
import io.lvsoperator.agent.ipvs.IpvsOperation.EditDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation.EditService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpvsPlannerTest {

  private static final IpvsServiceKey WEB = tcp("172.20.1.100", 80);
  private static final IpvsServiceKey TLS = tcp("172.20.1.100", 443);
  private static final IpvsServiceKey FOREIGN = tcp("10.96.0.1", 443); // kube-proxy's
  private static final IpvsDestination A = dr("172.20.1.10", 80, 1);
  private static final IpvsDestination B = dr("172.20.1.11", 80, 1);

  record Case(
      String name,
      List<IpvsServiceState> desired,
      List<IpvsServiceState> observed,
      Set<IpvsServiceKey> previouslyOwned,
      List<IpvsOperation> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    IpvsServiceState foreign = rr(FOREIGN, dr("192.168.0.5", 6443, 1));
    return Stream.of(
            new Case(
                "empty kernel: add service then destinations",
                table(rr(WEB, B, A)),
                table(),
                Set.of(),
                List.of(
                    new AddService(IpvsService.of(WEB, "rr")),
                    new AddDestination(WEB, A),
                    new AddDestination(WEB, B))),
            new Case(
                "no change: zero operations",
                table(rr(WEB, A, B)),
                table(rr(WEB, B, A)),
                Set.of(WEB),
                List.of()),
            new Case(
                "weight change: edit that destination only",
                table(rr(WEB, A, B.withWeight(5))),
                table(rr(WEB, A, B)),
                Set.of(WEB),
                List.of(new EditDestination(WEB, B.withWeight(5)))),
            new Case(
                "scheduler change: edit the service in place, destinations kept",
                table(state(IpvsService.of(WEB, "wlc"), A, B)),
                table(rr(WEB, A, B)),
                Set.of(WEB),
                List.of(new EditService(IpvsService.of(WEB, "wlc")))),
            new Case(
                "persistence change: edit in place",
                table(state(IpvsService.of(WEB, "rr").withPersistence(300, 24), A)),
                table(rr(WEB, A)),
                Set.of(WEB),
                List.of(new EditService(IpvsService.of(WEB, "rr").withPersistence(300, 24)))),
            new Case(
                "destination removed and added",
                table(rr(WEB, B)),
                table(rr(WEB, A)),
                Set.of(WEB),
                List.of(new DeleteDestination(WEB, A), new AddDestination(WEB, B))),
            new Case(
                "forwarding change: edit the destination",
                table(rr(WEB, IpvsDestination.of(A.address(), 80, ForwardingMethod.MASQ, 1))),
                table(rr(WEB, A)),
                Set.of(WEB),
                List.of(
                    new EditDestination(
                        WEB, IpvsDestination.of(A.address(), 80, ForwardingMethod.MASQ, 1)))),
            new Case(
                "service dropped from config: deleted because we owned it",
                table(rr(WEB, A)),
                table(rr(WEB, A), rr(TLS, A)),
                Set.of(WEB, TLS),
                List.of(new DeleteService(TLS))),
            new Case(
                "foreign services untouched, even with nothing desired",
                table(),
                table(foreign, rr(TLS, A)),
                Set.of(),
                List.of()),
            new Case(
                "foreign service beside ours: only ours changes",
                table(rr(WEB, A, B)),
                table(foreign, rr(WEB, A)),
                Set.of(WEB),
                List.of(new AddDestination(WEB, B))),
            new Case(
                "deletions come before additions",
                table(rr(WEB, A)),
                table(rr(TLS, A)),
                Set.of(TLS),
                List.of(
                    new DeleteService(TLS),
                    new AddService(IpvsService.of(WEB, "rr")),
                    new AddDestination(WEB, A))))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(Case c) {
    Set<IpvsServiceKey> owned = new HashSet<>(c.previouslyOwned());
    c.desired().forEach(s -> owned.add(s.key()));

    List<IpvsOperation> ops = IpvsPlanner.plan(c.desired(), c.observed(), owned);

    assertThat(ops).containsExactlyElementsOf(c.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void applyingThePlanConverges(Case c) throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    for (IpvsServiceState s : c.observed()) {
      kernel.addService(s.service());
      for (IpvsDestination d : s.destinations()) {
        kernel.addDestination(s.key(), d);
      }
    }
    Set<IpvsServiceKey> owned = new HashSet<>(c.previouslyOwned());
    c.desired().forEach(s -> owned.add(s.key()));

    kernel.applyAll(IpvsPlanner.plan(c.desired(), c.observed(), owned));

    assertThat(IpvsPlanner.plan(c.desired(), kernel.table(), owned)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void duplicateDesiredServiceIsRejected() {
    assertThatThrownBy(() -> IpvsPlanner.plan(table(rr(WEB), rr(WEB)), table(), Set.of(WEB)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("desired service TCP 172.20.1.100:80 appears twice");
  }
}
