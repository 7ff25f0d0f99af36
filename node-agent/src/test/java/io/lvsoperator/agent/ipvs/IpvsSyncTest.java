package io.lvsoperator.agent.ipvs;

import static io.lvsoperator.agent.ipvs.IpvsFixtures.dr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.rr;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.table;
import static io.lvsoperator.agent.ipvs.IpvsFixtures.tcp;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.agent.host.ffm.Errno;
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

  @Test
  void updateEditsOnlyTheChangedServicesWithoutReadingTheKernel() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());
    IpvsServiceState tls = rr(TLS, dr("172.20.1.10", 443, 1), dr("172.20.1.11", 443, 1));
    sync.sync(1, table(rr(WEB, dr("172.20.1.10", 80, 2), dr("172.20.1.11", 80, 1)), tls));
    int serviceDumps = kernel.serviceDumps();
    int destinationDumps = kernel.destinationDumps();
    kernel.log().clear();

    // 172.20.1.10 down: removed from WEB; 172.20.1.12 added; 172.20.1.11 to weight 0 (drained).
    IpvsServiceState web = rr(WEB, dr("172.20.1.11", 80, 0), dr("172.20.1.12", 80, 1));
    IpvsSync.SyncResult result = sync.update(2, table(web)).orElseThrow();

    assertThat(result.complete()).isTrue();
    assertThat(result.applied())
        .containsExactly(
            new IpvsOperation.DeleteDestination(WEB, dr("172.20.1.10", 80, 2)),
            new IpvsOperation.EditDestination(WEB, dr("172.20.1.11", 80, 0)),
            new IpvsOperation.AddDestination(WEB, dr("172.20.1.12", 80, 1)));
    assertThat(kernel.log()).isEqualTo(result.applied());
    assertThat(kernel.serviceDumps()).isEqualTo(serviceDumps);
    assertThat(kernel.destinationDumps()).isEqualTo(destinationDumps);
    assertThat(kernel.table()).containsExactlyInAnyOrder(web, tls);
    assertThat(sync.sync(3, table(web, tls)).planned())
        .as("a full sync afterwards finds nothing to do")
        .isZero();
  }

  @Test
  void updateOfAServiceTheSyncDoesNotKnowChangesNothing() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());
    IpvsServiceState web = rr(WEB, dr("172.20.1.10", 80, 1));

    assertThat(sync.update(1, table(web))).as("before any sync").isEmpty();

    sync.sync(2, table(web));
    assertThat(sync.update(3, table(web, rr(TLS, dr("172.20.1.10", 443, 1)))))
        .as("TLS is not programmed")
        .isEmpty();
    assertThat(sync.update(4, table(rr(WEB)))).isPresent();
    sync.cleanup();
    assertThat(sync.update(5, table(web))).as("after cleanup").isEmpty();
    assertThat(kernel.table()).isEmpty();
  }

  @Test
  void failedUpdateForgetsTheServiceUntilAFullSyncRepairsIt() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());
    IpvsServiceState tls = rr(TLS, dr("172.20.1.10", 443, 1));
    sync.sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1), dr("172.20.1.11", 80, 1)), tls));
    // Drift: someone removed a destination by hand (ipvsadm -d).
    kernel.deleteDestination(WEB, IpvsFixtures.ip("172.20.1.11"), 80);

    IpvsServiceState webDrained = rr(WEB, dr("172.20.1.10", 80, 1), dr("172.20.1.11", 80, 0));
    IpvsSync.SyncResult failed = sync.update(2, table(webDrained)).orElseThrow();

    assertThat(failed.complete()).isFalse();
    assertThat(failed.failed())
        .singleElement()
        .satisfies(f -> assertThat(f.errno()).isEqualTo(Errno.ENOENT));
    assertThat(sync.update(3, table(webDrained))).as("WEB is no longer known").isEmpty();
    assertThat(sync.update(3, table(rr(TLS, dr("172.20.1.10", 443, 4)))))
        .as("TLS still is")
        .isPresent();

    IpvsSync.SyncResult repaired =
        sync.sync(4, table(webDrained, rr(TLS, dr("172.20.1.10", 443, 4))));
    assertThat(repaired.applied())
        .containsExactly(new IpvsOperation.AddDestination(WEB, dr("172.20.1.11", 80, 0)));
    assertThat(sync.update(5, table(rr(WEB, dr("172.20.1.10", 80, 1))))).isPresent();
  }

  @Test
  void failedSyncOperationLeavesThatServiceUnknown() throws Exception {
    InMemoryIpvsClient kernel =
        new InMemoryIpvsClient()
            .failing(
                op ->
                    op instanceof IpvsOperation.AddDestination a && a.serviceKey().equals(TLS)
                        ? Errno.EINVAL
                        : 0);
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());
    sync.sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1)), rr(TLS, dr("172.20.1.10", 443, 1))));

    assertThat(sync.update(2, table(rr(TLS)))).isEmpty();
    assertThat(sync.update(2, table(rr(WEB)))).isPresent();
  }

  @Test
  void applyAddsEditsAndRemovesServicesWithoutReadingTheKernel() throws Exception {
    Path file = state.resolve("ipvs-owned");
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.load(file));
    IpvsServiceState tls = rr(TLS, dr("172.20.1.10", 443, 1));
    sync.sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1)), tls));
    int dumps = kernel.serviceDumps() + kernel.destinationDumps();
    kernel.log().clear();

    IpvsServiceKey added = tcp("172.20.1.101", 80);
    IpvsServiceState web = rr(WEB, dr("172.20.1.10", 80, 3));
    IpvsServiceState fresh = rr(added, dr("172.20.1.12", 80, 1));
    IpvsSync.SyncResult result =
        sync.apply(2, table(web, fresh), java.util.Set.of(TLS)).orElseThrow();

    assertThat(result.complete()).isTrue();
    assertThat(kernel.log())
        .containsExactly(
            new IpvsOperation.DeleteService(TLS),
            new IpvsOperation.EditDestination(WEB, dr("172.20.1.10", 80, 3)),
            new IpvsOperation.AddService(fresh.service()),
            new IpvsOperation.AddDestination(added, dr("172.20.1.12", 80, 1)));
    assertThat(kernel.serviceDumps() + kernel.destinationDumps()).isEqualTo(dumps);
    assertThat(kernel.table()).containsExactlyInAnyOrder(web, fresh);
    assertThat(OwnedServices.load(file).keys()).containsExactlyInAnyOrder(WEB, added);
    assertThat(sync.sync(3, table(web, fresh)).planned())
        .as("a full sync afterwards finds nothing to do")
        .isZero();
    assertThat(sync.update(4, table(rr(added)))).as("the added service is known").isPresent();
  }

  @Test
  void applyOfAnOwnedServiceItDoesNotKnowChangesNothing() throws Exception {
    Path file = state.resolve("ipvs-owned");
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    new IpvsSync(kernel, OwnedServices.load(file))
        .sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1)), rr(TLS, dr("172.20.1.10", 443, 1))));
    kernel.log().clear();

    // A new process: it owns WEB and TLS (the file says so) but has not synced yet.
    IpvsSync restarted = new IpvsSync(kernel, OwnedServices.load(file));
    assertThat(restarted.apply(2, table(rr(WEB, dr("172.20.1.10", 80, 2))), java.util.Set.of()))
        .isEmpty();
    assertThat(restarted.apply(2, table(), java.util.Set.of(TLS))).isEmpty();
    assertThat(restarted.apply(2, table(), java.util.Set.of(HANDMADE)))
        .as("a key it never owned is not touched")
        .hasValueSatisfying(r -> assertThat(r.planned()).isZero());
    assertThat(kernel.log()).isEmpty();
  }

  @Test
  void applyThatCannotAddAServiceForgetsIt() throws Exception {
    InMemoryIpvsClient kernel = new InMemoryIpvsClient();
    kernel.addService(IpvsService.of(HANDMADE, "wlc")); // already there: the add fails (EEXIST)
    IpvsSync sync = new IpvsSync(kernel, OwnedServices.inMemory());
    sync.sync(1, table(rr(WEB, dr("172.20.1.10", 80, 1))));

    IpvsSync.SyncResult result =
        sync.apply(2, table(rr(HANDMADE, dr("10.0.0.9", 8080, 1))), java.util.Set.of())
            .orElseThrow();

    assertThat(result.complete()).isFalse();
    assertThat(sync.update(3, table(rr(HANDMADE)))).as("its state is unknown").isEmpty();
  }
}
