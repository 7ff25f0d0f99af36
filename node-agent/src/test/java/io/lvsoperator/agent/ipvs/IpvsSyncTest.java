package io.lvsoperator.agent.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.rr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.table;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.ffm.Errno;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpvsSyncTest {

  private static final IpvsServiceKey WEB = tcp("172.20.1.100", 80);
  private static final IpvsServiceKey TLS = tcp("172.20.1.100", 443);
  private static final IpvsServiceKey HANDMADE = tcp("172.20.1.200", 8080);

  @TempDir Path state;

  @Test
  void secondRunWithNothingChangedIssuesZeroOperations() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());
    List<IpvsServiceState> desired =
        table(rr(WEB, dr("172.20.1.10", 80, 1), dr("172.20.1.11", 80, 1)));

    IpvsSync.SyncResult first = sync.sync(1, desired);
    int opsAfterFirst = kernel.log().size();
    IpvsSync.SyncResult second = sync.sync(1, desired);

    assertThat(first.applied()).hasSize(3);
    assertThat(first.generation()).isEqualTo(1);
    assertThat(second.planned()).isZero();
    assertThat(kernel.log()).hasSize(opsAfterFirst);
  }

  @Test
  void handMadeServiceSurvivesSyncAndCleanup() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    kernel.addService(IpvsService.of(HANDMADE, "wlc"));
    kernel.addDestination(HANDMADE, dr("10.0.0.9", 8080, 3));
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());

    sync.sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1))));
    sync.sync(2, table());
    sync.cleanup();

    assertThat(kernel.table())
        .containsExactly(
            new IpvsServiceState(
                IpvsService.of(HANDMADE, "wlc"), List.of(dr("10.0.0.9", 8080, 3))));
  }

  @Test
  void restartedAgentAdoptsItsServicesAndRemovesWhatTheConfigDropped() throws Exception {
    Path file = state.resolve("ipvs-owned");
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    new IpvsSync(kernel, OwnedServices.load(file))
        .sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1)), rr(TLS, dr("172.20.1.10", 443, 1))));
    kernel.log().clear();

    // A new process: new sync, ownership read back from the file.
    IpvsSync.SyncResult result =
        new IpvsSync(kernel, OwnedServices.load(file))
            .sync(2, table(rr(WEB, dr("172.20.1.10", 80, 1))));

    assertThat(result.applied()).containsExactly(new IpvsOperation.DeleteService(TLS));
    assertThat(OwnedServices.load(file).keys()).containsExactly(WEB);
    assertThat(Files.readString(file)).contains("tcp 2 172.20.1.100 80");
  }

  @Test
  void oneFailingOperationIsReportedAndTheRestApplied() throws Exception {
    IpvsServiceKey bad = tcp("172.20.1.101", 80);
    InMemoryIpvsClient kernel =
        new InMemoryIpvsClient()
            .failing(
                op ->
                    op instanceof IpvsOperation.AddService a && a.serviceKey().equals(bad)
                        ? Errno.ENOENT
                        : 0);
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());

    IpvsSync.SyncResult result =
        sync.sync(7, table(rr(bad, dr("172.20.1.10", 80, 1)), rr(WEB, dr("172.20.1.10", 80, 1))));

    assertThat(result.complete()).isFalse();
    assertThat(result.failed())
        .extracting(IpvsClient.OperationResult::errno)
        .containsExactly(Errno.ENOENT, Errno.ESRCH);
    assertThat(result.failed().getFirst().error())
        .contains("IPVS_CMD_NEW_SERVICE TCP 172.20.1.101:80");
    assertThat(kernel.table()).containsExactly(rr(WEB, dr("172.20.1.10", 80, 1)));
  }

  @Test
  void cleanupRemovesOnlyOurs() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    kernel.addService(IpvsService.of(HANDMADE, "rr"));
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.load(state.resolve("owned")));
    sync.sync(1, table(rr(WEB), rr(TLS)));

    IpvsSync.SyncResult result = sync.cleanup();

    assertThat(result.applied()).hasSize(2);
    assertThat(kernel.services()).extracting(IpvsService::key).containsExactly(HANDMADE);
    assertThat(OwnedServices.load(state.resolve("owned")).keys()).isEmpty();
  }

  @Test
  void failedDeleteStaysOwnedForTheNextRun() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    OwnedServices owned = OwnedServices.inMemory();
    new IpvsSync(kernel, owned).sync(1, table(rr(TLS)));
    kernel.failing(op -> op instanceof IpvsOperation.DeleteService ? Errno.EBUSY : 0);

    new IpvsSync(kernel, owned).sync(2, table());

    assertThat(owned.keys()).containsExactly(TLS);
  }
}
