package io.lvsoperator.agent;

import io.lvsoperator.agent.ipvs.DesiredServices;
import io.lvsoperator.agent.ipvs.GenlIpvsClient;
import io.lvsoperator.agent.ipvs.IpvsSync;
import io.lvsoperator.agent.ipvs.OwnedServices;
import io.lvsoperator.api.v1alpha1.LvsNodeSpec.IpvsService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Programs the kernel's IPVS table over generic netlink. Opens the IPVS family on first use, so a
 * node that only holds VIPs (or only serves as a DR real server) runs on a kernel without IPVS.
 */
public final class KernelIpvsProgrammer implements IpvsProgrammer, AutoCloseable {
  private final Path ownedFile;
  private IpvsSync sync;
  private GenlIpvsClient client;
  private long syncs;

  public KernelIpvsProgrammer(Path stateDir) {
    this.ownedFile = stateDir.resolve("ipvs-owned-services");
  }

  @Override
  public synchronized List<String> program(List<IpvsService> services) {
    try {
      if (sync == null) {
        if (services.isEmpty() && !java.nio.file.Files.exists(ownedFile)) {
          return List.of(); // nothing to do, nothing owned: do not require IPVS
        }
        if (!GenlIpvsClient.isAvailable()) {
          return List.of(
              "ipvs: the kernel has no IPVS (generic netlink family IPVS not found; modprobe ip_vs)");
        }
        client = GenlIpvsClient.open();
        sync = new IpvsSync(client, OwnedServices.load(ownedFile));
      }
      var result =
          sync.sync(
              ++syncs, DesiredServices.from(services, DesiredServices.WeightPolicy.CONFIGURED));
      List<String> errors = new ArrayList<>();
      result.failed().forEach(f -> errors.add("ipvs: " + f.operation() + ": " + f.error()));
      return errors;
    } catch (IOException | RuntimeException e) {
      return List.of("ipvs: " + e.getMessage());
    }
  }

  /** Removes every IPVS service this agent owns (uninstall). */
  public synchronized List<String> cleanup() {
    try {
      if (!GenlIpvsClient.isAvailable()) {
        return List.of();
      }
      if (sync == null) {
        client = GenlIpvsClient.open();
        sync = new IpvsSync(client, OwnedServices.load(ownedFile));
      }
      var result = sync.cleanup();
      return result.failed().stream()
          .map(f -> "ipvs: " + f.operation() + ": " + f.error())
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of("ipvs: " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }
}
