package io.lvsoperator.agent.host.ipvs;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.ipvs.ForwardingMethod;
import io.lvsoperator.agent.ipvs.InMemoryIpvsClient;
import io.lvsoperator.agent.ipvs.IpvsClient;
import io.lvsoperator.agent.ipvs.IpvsDestination;
import io.lvsoperator.agent.ipvs.IpvsOperation;
import io.lvsoperator.agent.ipvs.IpvsProtocol;
import io.lvsoperator.agent.ipvs.IpvsServiceKey;
import io.lvsoperator.agent.node.IpvsProgrammer;
import io.lvsoperator.api.v1alpha1.Forwarding;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.Destination;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import io.lvsoperator.api.v1alpha1.OnFailure;
import io.lvsoperator.testing.TestingSpecs;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's IPVS programmer over the in-memory kernel table: full syncs and health changes. */
class KernelIpvsProgrammerTest {

  @TempDir Path state;
  private final InMemoryIpvsClient kernel = new InMemoryIpvsClient();

  private KernelIpvsProgrammer programmer() {
    return new KernelIpvsProgrammer(
        state,
        new KernelIpvsProgrammer.ClientSource() {
          @Override
          public boolean available() {
            return true;
          }

          @Override
          public IpvsClient open() {
            return kernel;
          }
        });
  }

  private static IpvsService service(int port, Destination... destinations) {
    return service("172.20.1.100", "vi1", port, destinations);
  }

  private static IpvsService service(
      String vip, String instance, int port, Destination... destinations) {
    return TestingSpecs.service(vip, port)
        .vrrpInstance(instance)
        .onFailure(OnFailure.REMOVE)
        .destinations(List.of(destinations))
        .build();
  }

  private static Destination rs(String address, int port, int weight) {
    return new Destination(address, port, weight, Forwarding.DR, false);
  }

  private static IpvsServiceKey key(int port) throws Exception {
    return IpvsServiceKey.of(IpvsProtocol.TCP, InetAddress.getByName("172.20.1.100"), port);
  }

  private static IpvsDestination dest(String address, int port, int weight) throws Exception {
    return IpvsDestination.of(
        InetAddress.getByName(address), port, ForwardingMethod.DROUTE, weight);
  }

  @Test
  void healthChangeProgramsOnlyTheChangedServiceWithoutDumps() throws Exception {
    KernelIpvsProgrammer ipvs = programmer();
    IpvsService web = service(80, rs("172.20.1.10", 80, 1), rs("172.20.1.11", 80, 1));
    IpvsService tls = service(443, rs("172.20.1.12", 443, 1));
    assertThat(ipvs.program(1, List.of(web, tls)).errors()).isEmpty();
    int dumps = kernel.serviceDumps() + kernel.destinationDumps();
    kernel.log().clear();

    IpvsService webDown = service(80, rs("172.20.1.11", 80, 1));
    assertThat(ipvs.programHealthChange(1, List.of(webDown, tls), List.of(webDown)).errors())
        .isEmpty();

    assertThat(kernel.log())
        .containsExactly(new IpvsOperation.DeleteDestination(key(80), dest("172.20.1.10", 80, 1)));
    assertThat(kernel.serviceDumps() + kernel.destinationDumps()).isEqualTo(dumps);
  }

  @Test
  void healthChangeFallsBackToAFullSyncWhenAnOperationFails() throws Exception {
    KernelIpvsProgrammer ipvs = programmer();
    IpvsService web = service(80, rs("172.20.1.10", 80, 1), rs("172.20.1.11", 80, 1));
    IpvsService tls = service(443, rs("172.20.1.12", 443, 1));
    ipvs.program(1, List.of(web, tls));
    // Drift the programmer cannot know of: 172.20.1.10 removed and 172.20.1.11 re-weighted by hand.
    kernel.deleteDestination(key(80), InetAddress.getByName("172.20.1.10"), 80);
    kernel.editDestination(key(80), dest("172.20.1.11", 80, 5));
    int destinationDumps = kernel.destinationDumps();

    IpvsService webDown = service(80, rs("172.20.1.11", 80, 1));
    assertThat(ipvs.programHealthChange(1, List.of(webDown, tls), List.of(webDown)).errors())
        .isEmpty();

    assertThat(kernel.destinationDumps())
        .as("the full sync read both services")
        .isEqualTo(destinationDumps + 2);
    assertThat(kernel.table())
        .extracting(s -> s.key().port() + " " + s.destinations())
        .containsExactlyInAnyOrder(
            "80 " + List.of(dest("172.20.1.11", 80, 1)),
            "443 " + List.of(dest("172.20.1.12", 443, 1)));
    kernel.log().clear();
    assertThat(ipvs.program(1, List.of(webDown, tls)).errors()).isEmpty();
    assertThat(kernel.log()).as("nothing left to do").isEmpty();
  }

  @Test
  void configChangeProgramsOnlyWhatCameAndWentWithoutDumps() throws Exception {
    KernelIpvsProgrammer ipvs = programmer();
    IpvsService web = service(80, rs("172.20.1.10", 80, 1));
    IpvsService tls = service(443, rs("172.20.1.12", 443, 1));
    ipvs.program(1, List.of(web, tls));
    int dumps = kernel.serviceDumps() + kernel.destinationDumps();
    kernel.log().clear();

    IpvsService web2 = service(80, rs("172.20.1.10", 80, 2));
    IpvsProgrammer.Outcome outcome =
        ipvs.programChange(2, List.of(web2), List.of(web, tls), List.of(web2));

    assertThat(outcome.errors()).isEmpty();
    assertThat(outcome.full()).isFalse();
    assertThat(kernel.log())
        .containsExactly(
            new IpvsOperation.DeleteService(key(443)),
            new IpvsOperation.EditDestination(key(80), dest("172.20.1.10", 80, 2)));
    assertThat(kernel.serviceDumps() + kernel.destinationDumps()).isEqualTo(dumps);
  }

  @Test
  void configChangeWithARejectedServiceIsAFullProgram() throws Exception {
    KernelIpvsProgrammer ipvs = programmer();
    IpvsService web = service(80, rs("172.20.1.10", 80, 1));
    ipvs.program(1, List.of(web));
    int destinationDumps = kernel.destinationDumps();

    IpvsService bad = service("not-an-address", "vi2", 80, rs("172.20.1.10", 80, 1));
    IpvsProgrammer.Outcome outcome =
        ipvs.programChange(2, List.of(web, bad), List.of(), List.of(bad));

    assertThat(outcome.full()).isTrue();
    assertThat(outcome.failedInstances()).containsExactly("vi2");
    assertThat(kernel.destinationDumps()).isEqualTo(destinationDumps + 1);
  }

  @Test
  void healthChangeBeforeAnyProgramIsAFullProgram() throws Exception {
    KernelIpvsProgrammer ipvs = programmer();
    IpvsService web = service(80, rs("172.20.1.11", 80, 1));

    assertThat(ipvs.programHealthChange(1, List.of(web), List.of(web)).errors()).isEmpty();

    assertThat(kernel.table())
        .singleElement()
        .satisfies(s -> assertThat(s.key()).isEqualTo(key(80)));
  }

  @Test
  void aBadServiceIsReportedAndSkippedAndTheRestIsProgrammed() throws Exception {
    KernelIpvsProgrammer ipvs = programmer();
    IpvsService web = service(80, rs("172.20.1.10", 80, 1));
    IpvsService other = service("172.20.1.101", "vi2", 80, rs("172.20.1.12", 80, 1));
    assertThat(ipvs.program(1, List.of(web, other)).errors()).isEmpty();

    // The new desired state of 172.20.1.101:80 is unusable; a new service on :81 is fine.
    IpvsService otherBroken = service("172.20.1.101", "vi2", 80, rs("web-1", 80, 1));
    IpvsService web81 = service(81, rs("172.20.1.11", 81, 1));
    var outcome = ipvs.program(1, List.of(web, otherBroken, web81));

    assertThat(outcome.errors())
        .containsExactly(
            "ipvs: ipvsServices[1].destinations[0].address: 'web-1' is not an IP address");
    assertThat(outcome.failedInstances()).containsExactly("vi2");
    assertThat(kernel.table())
        .extracting(s -> s.key().toString() + " " + s.destinations())
        .as("the rest programmed; the rejected service left running as it was")
        .containsExactlyInAnyOrder(
            key(80) + " " + List.of(dest("172.20.1.10", 80, 1)),
            key(81) + " " + List.of(dest("172.20.1.11", 81, 1)),
            IpvsServiceKey.of(IpvsProtocol.TCP, InetAddress.getByName("172.20.1.101"), 80)
                + " "
                + List.of(dest("172.20.1.12", 80, 1)));

    // Dropped from the config (no longer merely broken): removed, as it is still owned.
    var dropped = ipvs.program(1, List.of(web, web81));
    assertThat(dropped.errors()).isEmpty();
    assertThat(kernel.table()).extracting(s -> s.key()).containsExactlyInAnyOrder(key(80), key(81));
  }

  @Test
  void noIpvsInTheKernelFailsEveryInstanceThatHasServices() {
    KernelIpvsProgrammer ipvs =
        new KernelIpvsProgrammer(
            state,
            new KernelIpvsProgrammer.ClientSource() {
              @Override
              public boolean available() {
                return false;
              }

              @Override
              public IpvsClient open() {
                throw new AssertionError("not available");
              }
            });
    var outcome =
        ipvs.program(
            1,
            List.of(
                service(80, rs("172.20.1.10", 80, 1)),
                service("172.20.1.101", "vi2", 80, rs("172.20.1.12", 80, 1))));
    assertThat(outcome.failedInstances()).containsExactlyInAnyOrder("vi1", "vi2");
    assertThat(outcome.errors()).singleElement().asString().contains("the kernel has no IPVS");
  }
}
