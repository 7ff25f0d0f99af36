package io.lvsoperator.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvsoperator.api.v1alpha1.LvsNodeSpec;
import io.lvsoperator.testing.TestingSpecs;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaleVipsTest {
  @TempDir Path dir;

  private static LvsNodeSpec spec(String... vips) {
    List<LvsNodeSpec.VrrpInstance> instances = new ArrayList<>();
    for (int i = 0; i < vips.length; i++) {
      instances.add(
          TestingSpecs.vrrpInstance("eth0-" + (51 + i), "eth0", 51 + i)
              .version(3, 100)
              .accept(true)
              .vip(vips[i], 16, "eth0:1")
              .build());
    }
    return new LvsNodeSpec(instances, List.of(), List.of(), List.of(), List.of());
  }

  @Test
  void aRestartRemovesTheVipsOfTheLastTwoSpecsThatAreStillThere() throws Exception {
    Path file = dir.resolve("vrrp-vips");
    StaleVips first = new StaleVips(file);
    assertThat(first.removeRecorded((i, a, p) -> true)).as("no file yet: nothing").isEmpty();
    first.record(spec("172.20.1.100", "172.20.1.101"));
    first.record(spec("172.20.1.100", "172.20.1.102")); // .101 dropped: kept once more
    assertThat(Files.readAllLines(file))
        .containsExactly("eth0 172.20.1.100/16", "eth0 172.20.1.101/16", "eth0 172.20.1.102/16");

    // kill -9, then a new process: .100 and .102 are still on eth0, .101 is gone.
    List<String> asked = new ArrayList<>();
    StaleVips.Remover host =
        (iface, address, prefix) -> {
          asked.add(iface + " " + address.getHostAddress() + "/" + prefix);
          return !address.getHostAddress().equals("172.20.1.101");
        };
    var removed = new StaleVips(file).removeRecorded(host);

    assertThat(asked)
        .containsExactly("eth0 172.20.1.100/16", "eth0 172.20.1.101/16", "eth0 172.20.1.102/16");
    assertThat(removed)
        .extracting(e -> e.address().getHostAddress())
        .containsExactly("172.20.1.100", "172.20.1.102");
  }

  @Test
  void excludedAddressesAndAddressesOnOtherInterfacesAreRecordedToo() throws Exception {
    Path file = dir.resolve("vrrp-vips");
    LvsNodeSpec.VrrpInstance one = spec("172.20.1.110").vrrpInstances().getFirst();
    LvsNodeSpec.VrrpInstance instance =
        one.withAddresses(
            List.of(
                one.vips().getFirst(),
                new LvsNodeSpec.Vip("10.9.0.1", 24, null, "eth1", "default/web")),
            List.of(new LvsNodeSpec.Vip("172.20.1.120", 16, null)),
            null,
            null);
    new StaleVips(file)
        .record(new LvsNodeSpec(List.of(instance), List.of(), List.of(), List.of(), List.of()));
    assertThat(Files.readAllLines(file))
        .containsExactly("eth0 172.20.1.110/16", "eth1 10.9.0.1/24", "eth0 172.20.1.120/16");
  }

  @Test
  void anApplyThatChangesNoVipDoesNotRewriteTheFile() throws Exception {
    Path file = dir.resolve("vrrp-vips");
    StaleVips vips = new StaleVips(file);
    vips.record(spec("172.20.1.100"));
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(0));
    vips.record(spec("172.20.1.100")); // e.g. only a weight changed
    assertThat(Files.getLastModifiedTime(file).toMillis()).as("not rewritten").isZero();
    vips.record(spec("172.20.1.101"));
    assertThat(Files.getLastModifiedTime(file).toMillis()).as("rewritten").isPositive();
    assertThat(Files.readAllLines(file))
        .containsExactly("eth0 172.20.1.100/16", "eth0 172.20.1.101/16");
  }

  @Test
  void aFailedRemovalOrABadLineIsSkippedAndTheRestStillRemoved() throws Exception {
    Path file = dir.resolve("vrrp-vips");
    Files.writeString(file, "eth0 172.20.1.100/16\nnonsense\neth1 172.20.1.101/24\n");
    StaleVips.Remover host =
        (iface, address, prefix) -> {
          if (iface.equals("eth0")) {
            throw new IOException("RTM_DELADDR: ENODEV");
          }
          return true;
        };
    var removed = new StaleVips(file).removeRecorded(host);
    assertThat(removed)
        .containsExactly(new StaleVips.Entry("eth1", InetAddress.ofLiteral("172.20.1.101"), 24));
  }
}
